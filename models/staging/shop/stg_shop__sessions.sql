-- One row per clean session: sessions logged twice are kept once.
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__sessions'), 'session_id',
        event_column='started_at') }}
),

final as (
    select
        latest.session_id,
        latest.customer_id,
        latest.started_at,
        latest.ended_at,
        latest.device_type,
        latest.page_views,
        latest.traffic_source
    from latest
)

select * from final
