-- DuckDB only: built from a dbt snapshot, and snapshots need Delta/Iceberg on Spark.
{{ config(enabled=target.type != 'spark') }}

-- Segment membership over time: one row per spell of a customer in a segment. valid_from
-- is the build (refresh) that first saw the membership, valid_to the one that no longer
-- did (null while current). as_of_entered is the data's as_of at valid_from.
with

snapshot as (
    select * from {{ ref('segment_membership_snapshot') }}
),

final as (
    select
        snapshot.customer_id,
        snapshot.segment,
        cast(snapshot.dbt_valid_from as {{ dbt.type_timestamp() }}) as valid_from,
        cast(snapshot.dbt_valid_to as {{ dbt.type_timestamp() }}) as valid_to,
        snapshot.dbt_valid_to is null as is_current,
        cast(snapshot.as_of as {{ dbt.type_timestamp() }}) as as_of_entered
    from snapshot
)

select * from final
