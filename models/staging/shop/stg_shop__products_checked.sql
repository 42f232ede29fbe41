-- One row per clean product (duplicated ids merged by the contract's tie rule),
-- and every rejected raw row with its reason (quarantined_rows reads them; the view
-- stg_shop__products holds the clean rows). Each raw row is parsed once.
{{ config(materialized='table') }}
with

checked as (
    {{ checked_rows(
        ref('base_shop__products'),
        'product_id',
        columns=clean_columns('products')) }}
),

final as (
    -- the clean columns, _versions, reject_reason and record_text (checked_rows)
    select * from checked
)

select * from final
