-- Every rejected raw row of every raw table, with its table, its key (the trimmed id,
-- null when the id itself was missing), the reason code and the row's values.
-- A view on the checked tables stg_shop__<t>_checked, which keep the rejected rows next
-- to the clean ones: each raw row is parsed once, and an incremental run replaces the
-- rejected rows of the ids it reads there.
{{ config(materialized='view') }}
{%- set contract = raw_contract() %}

with

{% for table_name, spec in contract.items() %}
{{ table_name }}_rejected as (
    select
        '{{ table_name }}' as source_table,
        checked_rows.{{ spec.key }} as record_key,
        checked_rows.reject_reason as reason_code,
        checked_rows.record_text as raw_record
    from {{ ref('stg_shop__' ~ table_name ~ '_checked') }} as checked_rows
    where checked_rows.reject_reason is not null
),

{% endfor %}
final as (
    {%- for table_name in contract %}
    select * from {{ table_name }}_rejected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
