-- Per raw table: raw rows = clean rows + quarantined rows + rows merged as duplicates + rows
-- of deleted ids + rows of erased customers (docs/data-path.md). Raw rows are counted when they
-- are read (the ledger staging.stg_shop__raw_sources, per source: a refresh does not read
-- the kept sources again); the others where they end up, in one pass over each staging
-- base table (the clean view stg_shop__<t> and the quarantine view quarantined_rows are
-- filters of it): clean = current, valid, not a tombstone; merged = the clean rows'
-- _versions - 1; quarantined = rejected rows, plus the table's malformed CSV lines;
-- deleted = the valid rows of ids whose current version is a tombstone; erased = rows of
-- erased customers, plus the malformed lines naming one (stg_shop__malformed_rows). A row
-- that is lost or counted twice anywhere between the raw files and staging, or a source a
-- refresh forgot, shows up here (and fails the test on this model).
{%- set contract = raw_contract() %}

with

raw_counts as (
    select
        raw_sources.source_table,
        cast(sum(raw_sources.raw_rows) as {{ dbt.type_bigint() }}) as raw_rows
    from {{ ref('stg_shop__raw_sources') }} as raw_sources
    group by raw_sources.source_table
),

malformed_counts as (
    select
        malformed.source_table,
        cast(sum(case when malformed.is_erased then 0 else 1 end) as {{ dbt.type_bigint() }})
            as malformed_rows,
        cast(sum(case when malformed.is_erased then 1 else 0 end) as {{ dbt.type_bigint() }})
            as erased_malformed_rows
    from {{ ref('stg_shop__malformed_rows') }} as malformed
    group by malformed.source_table
),

{% for table_name in contract %}
{{ table_name }}_counts as (
    select
        '{{ table_name }}' as source_table,
        cast(coalesce(sum(case
            when base_rows.is_current and not base_rows.is_tombstone then 1 else 0
        end), 0) as {{ dbt.type_bigint() }}) as clean_rows,
        cast(coalesce(sum(case
            when base_rows.reject_reason is not null then 1 else 0
        end), 0) as {{ dbt.type_bigint() }}) as rejected_rows,
        cast(coalesce(sum(case
            when base_rows.is_current and not base_rows.is_tombstone
                then base_rows._versions - 1
            else 0
        end), 0) as {{ dbt.type_bigint() }}) as merged_duplicate_rows,
        cast(coalesce(sum(case
            when base_rows.is_current and base_rows.is_tombstone
                then base_rows._versions
            else 0
        end), 0) as {{ dbt.type_bigint() }}) as deleted_rows,
        cast(coalesce(sum(case
            when base_rows.is_erased then 1 else 0
        end), 0) as {{ dbt.type_bigint() }}) as erased_rows
    from {{ ref('base_shop__' ~ table_name) }} as base_rows
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
        table_counts.rejected_rows + coalesce(malformed_counts.malformed_rows, 0)
            as quarantined_rows,
        table_counts.merged_duplicate_rows,
        table_counts.deleted_rows,
        table_counts.erased_rows + coalesce(malformed_counts.erased_malformed_rows, 0)
            as erased_rows
    from table_counts
    left join raw_counts
        on table_counts.source_table = raw_counts.source_table
    left join malformed_counts
        on table_counts.source_table = malformed_counts.source_table
)

select * from final
