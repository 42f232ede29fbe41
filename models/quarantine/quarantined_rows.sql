-- Every rejected raw row of every raw table, with its table, its key (the trimmed id,
-- null when the id itself was missing), the reason code and the row's values; and every
-- raw CSV line that could not be read as a row (reason malformed_row, no key), with its
-- file and line number, but those of erased customers (only counted: the reconciliation).
-- A view on the staging base tables base_shop__<t>, which keep the rejected rows next to
-- the clean ones (each raw row is parsed once), and on stg_shop__malformed_rows.
{{ config(materialized='view') }}
{%- set contract = raw_contract() %}

with

{% for table_name, spec in contract.items() %}
{{ table_name }}_rejected as (
    select
        '{{ table_name }}' as source_table,
        base_rows.{{ spec.key }} as record_key,
        base_rows.reject_reason as reason_code,
        base_rows.record_text as raw_record,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as line_number
    from {{ ref('base_shop__' ~ table_name) }} as base_rows
    where base_rows.reject_reason is not null
),

{% endfor %}
malformed as (
    select
        malformed_rows.source_table,
        cast(null as {{ dbt.type_string() }}) as record_key,
        'malformed_row' as reason_code,
        malformed_rows.raw_line as raw_record,
        malformed_rows.source_file,
        malformed_rows.line_number
    from {{ ref('stg_shop__malformed_rows') }} as malformed_rows
    where not malformed_rows.is_erased
),

final as (
    {%- for table_name in contract %}
    select * from {{ table_name }}_rejected
    union all
    {%- endfor %}
    select * from malformed
)

select * from final
