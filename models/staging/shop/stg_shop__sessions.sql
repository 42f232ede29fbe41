-- The clean sessions: the current, valid version of each id that is not deleted (a tombstone),
-- with _versions (how many valid raw rows were merged into it). A view on
-- base_shop__sessions (no copy).
{{ config(materialized='view') }}

with

base_rows as (
    select * from {{ ref('base_shop__sessions') }}
),

final as (
    select
        base_rows.session_id,
        base_rows.customer_id,
        base_rows.started_at,
        base_rows.ended_at,
        base_rows.device_type,
        base_rows.page_views,
        base_rows.traffic_source,
        base_rows._versions,
        base_rows._loaded_at
    from base_rows
    where base_rows.is_current
        and not base_rows.is_tombstone
)

select * from final
