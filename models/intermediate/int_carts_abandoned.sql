-- Abandoned carts (docs/segments.md): carts of the population that name no order, created in
-- (as_of - cart_window_days days, as_of - cart_abandon_after_hours hours], with no
-- counted order of the customer at or after the cart's creation.
with

carts as (
    select * from {{ ref('stg_shop__carts') }}
),

population as (
    select * from {{ ref('int_population') }}
),

counted_orders as (
    select * from {{ ref('int_counted_purchases') }}
),

currency_rates as (
    select * from {{ ref('int_currency_rates_rebased') }}
),

clock as (
    select max(population.as_of) as as_of
    from population
),

last_orders as (
    -- the latest counted order per customer among those after the window's start: only
    -- these can be at or after the creation of a cart in the window (a cart created in the
    -- window has created_at > as_of - cart_window_days)
    select
        counted_orders.customer_id,
        max(counted_orders.ordered_at) as last_order_at
    from counted_orders
    cross join clock
    where
        counted_orders.ordered_at
        > {{ shift_days(-int_var('cart_window_days'), 'clock.as_of') }}
    group by counted_orders.customer_id
),

final as (
    select
        carts.cart_id,
        carts.customer_id,
        carts.created_at,
        carts.item_count,
        {{ to_reporting_currency('carts.cart_value', 'carts.currency_code', 'currency_rates') }}
            as cart_value_reporting
    from carts
    inner join population
        on carts.customer_id = population.customer_id
    left join last_orders
        on carts.customer_id = last_orders.customer_id
    left join currency_rates
        on
            carts.currency_code = currency_rates.currency_code
            and {{ local_date('carts.created_at') }} = currency_rates.rate_date
    where
        carts.completed_order_id is null
        and carts.created_at
        > {{ shift_days(-int_var('cart_window_days'), 'population.as_of') }}
        and carts.created_at
        <= {{ timestamp_add('hour', -int_var('cart_abandon_after_hours'), 'population.as_of') }}
        and (last_orders.last_order_at is null or last_orders.last_order_at < carts.created_at)
)

select * from final
