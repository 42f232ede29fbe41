-- One row per clean order line (duplicated line ids merged by the tie rule),
-- and every rejected raw row with its reason (quarantined_rows reads them; the view
-- stg_shop__order_items holds the clean rows). Each raw row is parsed once.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_item_id',
    on_schema_change='fail',
    pre_hook="{{ delete_rows_without_id('order_item_id') }}"
) }}
-- Incremental on DuckDB: the base view then holds every row of the ids with a raw row in
-- the refresh window (macros/incremental/refresh_window.sql), and their rows are replaced;
-- the rows without an id (all rejected, all read again) are deleted first.
with

checked as (
    {{ checked_rows(
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
        checked.order_item_id,
        checked.order_id,
        checked.product_id,
        checked.quantity,
        checked.unit_price,
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
