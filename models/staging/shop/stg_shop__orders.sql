-- One row per clean order: the latest valid version of each order_id.
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__orders'), 'order_id',
        event_column='ordered_at', version_column='updated_at') }}
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
        latest.sales_channel
    from latest
)

select * from final
