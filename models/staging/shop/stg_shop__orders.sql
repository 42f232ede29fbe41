-- One row per clean order: the latest valid version of each order_id.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_id',
    on_schema_change='fail'
) }}
-- Incremental on DuckDB: the base view then holds every row of the ids with a raw row in
-- the refresh window (macros/incremental/refresh_window.sql), and their clean rows are
-- replaced.
with

latest as (
    {{ deduplicate_valid_rows(
        ref('base_shop__orders'),
        'order_id',
        columns=[
            'order_id',
            'customer_id',
            'ordered_at',
            'updated_at',
            'status',
            'is_purchase',
            'currency_code',
            'order_total',
            'discount_total',
            'coupon_code',
            'has_coupon',
            'sales_channel'
        ],
        event_column='ordered_at',
        version_column='updated_at') }}
),

final as (
    select
        latest.order_id,
        latest.customer_id,
        latest.ordered_at,
        latest.updated_at,
        latest.status,
        latest.is_purchase,
        latest.currency_code,
        latest.order_total,
        latest.discount_total,
        latest.coupon_code,
        latest.has_coupon,
        latest.sales_channel,
        -- valid raw rows merged into this row (1 = seen once)
        latest._versions,
        -- when this row was last (re)loaded: the incremental batch marker
        {{ loaded_at() }} as _loaded_at
    from latest
)

select * from final
