-- One row per clean order line (duplicated ids merged by the contract's tie rule).
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__order_items'), 'order_item_id') }}
),

final as (
    select
        latest.order_item_id,
        latest.order_id,
        latest.product_id,
        latest.quantity,
        latest.unit_price
    from latest
)

select * from final
