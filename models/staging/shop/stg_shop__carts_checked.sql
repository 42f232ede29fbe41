-- One row per clean cart: the latest valid version of each cart_id,
-- and every rejected raw row with its reason (quarantined_rows reads them; the view
-- stg_shop__carts holds the clean rows). Each raw row is parsed once.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='cart_id',
    on_schema_change='fail',
    pre_hook="{{ delete_rows_without_id('cart_id') }}"
) }}
-- Incremental on DuckDB: the base view then holds every row of the ids with a raw row in
-- the refresh window (macros/incremental/refresh_window.sql), and their rows are replaced;
-- the rows without an id (all rejected, all read again) are deleted first.
with

checked as (
    {{ checked_rows(
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
        checked.cart_id,
        checked.customer_id,
        checked.created_at,
        checked.updated_at,
        checked.completed_order_id,
        checked.cart_value,
        checked.currency_code,
        checked.item_count,
        -- valid raw rows merged into this row (1 = seen once; null on a rejected row)
        checked._versions,
        -- null on a valid row, else the quarantine reason code and the row's values
        checked.reject_reason,
        checked.record_text,
        -- when this row was last (re)loaded: the incremental batch marker
        {{ loaded_at() }} as _loaded_at
    from checked
)

select * from final
