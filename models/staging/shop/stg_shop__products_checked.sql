-- One row per clean product (duplicated ids merged by the contract's tie rule),
-- and every rejected raw row with its reason (quarantined_rows reads them; the view
-- stg_shop__products holds the clean rows). Each raw row is parsed once.
{{ config(materialized='table') }}
with

checked as (
    {{ checked_rows(
        ref('base_shop__products'),
        'product_id',
        columns=[
            'product_id',
            'product_name',
            'category',
            'list_price'
        ]) }}
),

final as (
    select
        checked.product_id,
        checked.product_name,
        checked.category,
        checked.list_price,
        -- valid raw rows merged into this row (1 = seen once; null on a rejected row)
        checked._versions,
        -- null on a valid row, else the quarantine reason code and the row's values
        checked.reject_reason,
        checked.record_text
    from checked
)

select * from final
