-- Every rejected raw row of every raw table, with its table, its key (the trimmed id,
-- null when the id itself was missing), the reason code and the row's values.
-- Incremental on DuckDB: a pre-hook deletes the rows of the ids this run reads again
-- (base_shop__<t>_keys; every row of customers and products, and every row without an
-- id), then the rejected rows read by this run are appended
-- (macros/incremental/refresh_window.sql).
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_quarantine_rows_read_again() }}"
) }}
-- depends_on: {{ ref('base_shop__orders_keys') }}, {{ ref('base_shop__order_items_keys') }}
-- depends_on: {{ ref('base_shop__sessions_keys') }}, {{ ref('base_shop__carts_keys') }}
{%- set contract = raw_contract() %}

with

{% for table_name, spec in contract.items() %}
{{ table_name }}_rejected as (
    select
        '{{ table_name }}' as source_table,
        base_rows.{{ spec.key }} as record_key,
        base_rows.reject_reason as reason_code,
        base_rows.record_text as raw_record
    from {{ ref('base_shop__' ~ table_name) }} as base_rows
    where base_rows.reject_reason is not null
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
