-- One row per clean cart: the latest valid version of each cart_id.
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__carts'), 'cart_id',
        event_column='created_at', version_column='updated_at') }}
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
        latest.item_count
    from latest
)

select * from final
