-- One row per clean order line (duplicated line ids merged by the tie rule).
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_item_id',
    on_schema_change='fail'
) }}
-- Incremental on DuckDB: the base view then holds every row of the ids with a raw row in
-- the refresh window (macros/incremental/refresh_window.sql), and their clean rows are
-- replaced.
with

latest as (
    {{ deduplicate_valid_rows(
        ref('base_shop__order_items'),
        'order_item_id',
        columns=[
            'order_item_id',
            'order_id',
            'product_id',
            'quantity',
            'unit_price'
        ]) }}
),

final as (
    select
        latest.order_item_id,
        latest.order_id,
        latest.product_id,
        latest.quantity,
        latest.unit_price,
        -- valid raw rows merged into this row (1 = seen once)
        latest._versions,
        -- when this row was last (re)loaded: the incremental batch marker
        {{ loaded_at() }} as _loaded_at
    from latest
)

select * from final
