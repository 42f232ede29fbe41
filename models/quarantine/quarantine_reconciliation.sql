-- Per raw table: raw rows = clean rows + quarantined rows + rows merged as duplicates + rows
-- of deleted ids + rows of erased customers (raw-data.md). Raw rows are counted when they
-- are read (the ledger staging.stg_shop__raw_sources, per source: a refresh does not read
-- the kept sources again); the others where they end up: clean and merged rows on the clean
-- view (each row's _versions), quarantined rows in the quarantine, deleted and erased rows
-- in the staging base table. A row that is lost or counted twice anywhere between the raw
-- files and staging, or a source a refresh forgot, shows up here (and fails the test on
-- this model).
{%- set contract = raw_contract() %}

with

raw_counts as (
    select
        raw_sources.source_table,
        cast(sum(raw_sources.raw_rows) as {{ dbt.type_bigint() }}) as raw_rows
    from {{ ref('stg_shop__raw_sources') }} as raw_sources
    group by raw_sources.source_table
),

quarantine_counts as (
    select
        quarantined.source_table,
        count(*) as quarantined_rows
    from {{ ref('quarantined_rows') }} as quarantined
    group by quarantined.source_table
),

{% for table_name, spec in contract.items() %}
{{ table_name }}_counts as (
    select
        '{{ table_name }}' as source_table,
        (select count(*) from {{ ref('stg_shop__' ~ table_name) }}) as clean_rows,
        (
            select cast(coalesce(sum(clean._versions - 1), 0) as {{ dbt.type_bigint() }})
            from {{ ref('stg_shop__' ~ table_name) }} as clean
        ) as merged_duplicate_rows,
        (
            select cast(coalesce(sum(base_rows._versions), 0) as {{ dbt.type_bigint() }})
            from {{ ref('base_shop__' ~ table_name) }} as base_rows
            where base_rows.is_current and base_rows.is_tombstone
        ) as deleted_rows,
        (
            select count(*)
            from {{ ref('base_shop__' ~ table_name) }} as base_rows
            where base_rows.is_erased
        ) as erased_rows
),

{% endfor %}
table_counts as (
    {%- for table_name in contract %}
    select * from {{ table_name }}_counts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        table_counts.source_table,
        coalesce(raw_counts.raw_rows, 0) as raw_rows,
        table_counts.clean_rows,
        coalesce(quarantine_counts.quarantined_rows, 0) as quarantined_rows,
        table_counts.merged_duplicate_rows,
        table_counts.deleted_rows,
        table_counts.erased_rows
    from table_counts
    left join raw_counts
        on table_counts.source_table = raw_counts.source_table
    left join quarantine_counts
        on table_counts.source_table = quarantine_counts.source_table
)

select * from final
