-- One row per clean session: sessions logged twice are kept once.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='session_id',
    on_schema_change='fail'
) }}
-- Incremental on DuckDB: the base view then holds every row of the ids with a raw row in
-- the refresh window (macros/incremental/refresh_window.sql), and their clean rows are
-- replaced.
with

latest as (
    {{ deduplicate_valid_rows(
        ref('base_shop__sessions'),
        'session_id',
        columns=[
            'session_id',
            'customer_id',
            'started_at',
            'ended_at',
            'device_type',
            'page_views',
            'traffic_source'
        ],
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
        latest.traffic_source,
        -- valid raw rows merged into this row (1 = seen once)
        latest._versions,
        -- when this row was last (re)loaded: the incremental batch marker
        {{ loaded_at() }} as _loaded_at
    from latest
)

select * from final
