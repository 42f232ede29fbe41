-- The clean sessions: the valid rows of stg_shop__sessions_checked (a view, no copy).
{{ config(materialized='view') }}
with

checked as (
    select * from {{ ref('stg_shop__sessions_checked') }}
),

final as (
    select
        checked.session_id,
        checked.customer_id,
        checked.started_at,
        checked.ended_at,
        checked.device_type,
        checked.page_views,
        checked.traffic_source,
        checked._versions,
        checked._loaded_at
    from checked
    where checked.reject_reason is null
)

select * from final
