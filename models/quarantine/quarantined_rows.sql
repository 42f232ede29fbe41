-- Every rejected raw row of every raw table, with its table, its key (the trimmed id,
-- null when the id itself was missing), the reason code and the row's values.
-- After an incremental run (DuckDB) the rows of the ids the run did not read are kept
-- from the previous run; the ids it read (base_shop__<t>_keys) are replaced
-- (macros/incremental/refresh_window.sql).
-- depends_on: {{ ref('base_shop__orders_keys') }}, {{ ref('base_shop__order_items_keys') }}
-- depends_on: {{ ref('base_shop__sessions_keys') }}, {{ ref('base_shop__carts_keys') }}
{%- set contract = raw_contract() %}
{%- set previous = load_relation(this) if execute else none %}

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
    {%- if previous is not none and reads_raw_window(table_name) %}
    union all
    -- the previous run's rows of the ids this run did not read (rows without an id are
    -- all read again)
    select
        kept.source_table,
        kept.record_key,
        kept.reason_code,
        kept.raw_record
    from {{ previous }} as kept
    left join {{ ref('base_shop__' ~ table_name ~ '_keys') }} as reread
        on kept.record_key = reread.record_key
    where
        kept.source_table = '{{ table_name }}'
        and kept.record_key is not null
        and reread.record_key is null
    {%- endif %}
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
