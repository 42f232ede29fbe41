-- One row per clean order line (duplicated line ids merged by the tie rule),
-- and every rejected raw row with its reason (quarantined_rows reads them; the view
-- stg_shop__order_items holds the clean rows). Each raw row is parsed once.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_item_id',
    on_schema_change='fail',
    pre_hook=[
        "{{ delete_rows_without_id('order_item_id') }}",
        "{{ delete_ids_not_in_raw('order_items') }}",
    ]
) }}
-- Incremental on DuckDB: the base view then holds every row of the ids with a raw row in
-- the refresh window (macros/incremental/refresh_window.sql), and their rows are replaced;
-- the rows without an id (all rejected, all read again) and the rows of ids that are in
-- no raw row any more (deleted from the full export) are deleted first.
with

checked as (
    {{ checked_rows(
        ref('base_shop__order_items'),
        'order_item_id',
        columns=clean_columns('order_items')) }}
),

final as (
    select
        -- the clean columns, _versions, reject_reason and record_text (checked_rows)
        checked.*,
        -- when this row was last (re)loaded: the incremental batch marker
        {{ loaded_at() }} as _loaded_at
    from checked
)

select * from final
