-- The ledger of raw sources: one row per raw table and source the staging tables hold rows
-- of (a file of raw_path by its path relative to raw_path, a raw_schema table, a loaded-at
-- batch, or the sample seed), with its size and modification time as last read, the rows
-- read from it (raw_rows, malformed CSV lines included) and when. The on-run-start hook
-- reads it to decide what the next run reads (a file is known by its path, size and
-- modification time; a loaded-at table by the watermark), and the reconciliation's raw
-- count comes from here (the sources a refresh keeps are not read again).
-- DuckDB: incremental, the sources read again or gone are replaced; Spark: rebuilt.
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_sources('source_name') }}"
) }}
{%- set tables = raw_contract().keys() | list
    + ([] if raw_mode() == 'sample' else ['erasures']) %}

with

{% for table_name in tables -%}
{{ table_name }}_sources as (
    -- the rows read now, per source (none when the run reads nothing of the table)
    select
        '{{ table_name }}' as source_table,
        {% if raw_mode() == 'sample' -%}
        'seed' as source_name,
        {%- else -%}
        _source as source_name,
        {%- endif %}
        count(*) as row_count
    from {{ source('shop', table_name) }}
    group by 1, 2
),

{% endfor -%}
read_counts as (
    {%- for table_name in tables %}
    select * from {{ table_name }}_sources
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

malformed_counts as (
    select
        malformed.source_table,
        malformed._source as source_name,
        count(*) as malformed_rows
    from {{ ref('stg_shop__malformed_rows') }} as malformed
    group by 1, 2
),

read_plan as (
    -- the sources this run reads (the others keep their row)
    select * from {{ source('shop_plumbing', 'read_plan') }}
),

final as (
    select
        read_plan.source_table,
        read_plan.source_name,
        read_plan.layout,
        read_plan.size_bytes,
        read_plan.modified_at,
        read_plan.watermark,
        coalesce(read_counts.row_count, 0) + coalesce(malformed_counts.malformed_rows, 0)
            as raw_rows,
        coalesce(malformed_counts.malformed_rows, 0) as malformed_rows,
        '{{ raw_parse_context() }}' as parse_context,
        {{ loaded_at() }} as loaded_at
    from read_plan
    left join read_counts
        on read_plan.source_table = read_counts.source_table
            and read_plan.source_name = read_counts.source_name
    left join malformed_counts
        on read_plan.source_table = malformed_counts.source_table
            and read_plan.source_name = malformed_counts.source_name
    where read_plan.action = 'read'
)

select * from final
