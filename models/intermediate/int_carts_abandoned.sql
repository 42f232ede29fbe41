-- Abandoned carts (segments.md): carts of the population that name no order, created in
-- (as_of - cart_window_days days, as_of - cart_abandon_after_hours hours], with no
-- counted order of the customer at or after the cart's creation.
with

carts as (
    select * from {{ ref('stg_shop__carts') }}
),

population as (
    select * from {{ ref('int_customers_registered') }}
),

counted_orders as (
    select * from {{ ref('int_orders_counted') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

reporting_rate as (
    select currency_rates.usd_per_unit
    from currency_rates
    where currency_rates.currency_code = '{{ var("reporting_currency") | upper }}'
),

last_orders as (
    select
        counted_orders.customer_id,
        max(counted_orders.ordered_at) as last_order_at
    from counted_orders
    group by counted_orders.customer_id
),

final as (
    select
        carts.cart_id,
        carts.customer_id,
        carts.created_at,
        carts.item_count,
        cast(
            round(
                cast(carts.cart_value as decimal(18, 6))
                * cast(
                    currency_rates.usd_per_unit / reporting_rate.usd_per_unit
                    as decimal(18, 12)
                ),
                2
            )
            as decimal(18, 2)
        ) as cart_value_reporting
    from carts
    inner join population
        on carts.customer_id = population.customer_id
    left join last_orders
        on carts.customer_id = last_orders.customer_id
    left join currency_rates
        on carts.currency_code = currency_rates.currency_code
    cross join reporting_rate
    where
        carts.completed_order_id is null
        and carts.created_at
        > {{ timestamp_add('day', -int_var('cart_window_days'), 'population.as_of') }}
        and carts.created_at
        <= {{ timestamp_add('hour', -int_var('cart_abandon_after_hours'), 'population.as_of') }}
        and (last_orders.last_order_at is null or last_orders.last_order_at < carts.created_at)
)

select * from final
