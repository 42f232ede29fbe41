-- One row per clean cart: the latest valid version of each cart_id.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='cart_id',
    on_schema_change='fail'
) }}
-- Incremental on DuckDB: the base view then holds every row of the ids with a raw row in
-- the refresh window (macros/incremental/refresh_window.sql), and their clean rows are
-- replaced.
with

latest as (
    {{ deduplicate_valid_rows(
        ref('base_shop__carts'),
        'cart_id',
        columns=[
            'cart_id',
            'customer_id',
            'created_at',
            'updated_at',
            'completed_order_id',
            'cart_value',
            'currency_code',
            'item_count'
        ],
        event_column='created_at',
        version_column='updated_at') }}
),

final as (
    select
        latest.cart_id,
        latest.customer_id,
        latest.created_at,
        latest.updated_at,
        latest.completed_order_id,
        latest.cart_value,
        latest.currency_code,
        latest.item_count,
        -- valid raw rows merged into this row (1 = seen once)
        latest._versions,
        -- when this row was last (re)loaded: the incremental batch marker
        {{ loaded_at() }} as _loaded_at
    from latest
)

select * from final
