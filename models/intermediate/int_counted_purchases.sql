-- Counted orders (docs/segments.md): clean purchases ordered at or before as_of by a member
-- of the population, with order_total converted to the reporting currency at the rates of
-- the order's day and rounded to cents per order.
-- A view: its consumers need customer-level results (order metrics, last order, purchase
-- cycle, category spend), and writing these 10M order rows to a table cost more than
-- reading stg_shop__orders again in each of them.
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

population as (
    select * from {{ ref('int_population') }}
),

currency_rates as (
    select * from {{ ref('int_currency_rates_rebased') }}
),

final as (
    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.status,
        orders.has_coupon,
        orders.currency_code,
        orders.order_total,
        {{ to_reporting_currency('orders.order_total', 'orders.currency_code', 'currency_rates') }}
            as order_total_reporting,
        -- when the run that last wrote the order started: the tests of a refresh read the
        -- orders it wrote (latest_load_only), not every order again through this view
        orders._loaded_at
    from orders
    inner join population
        on orders.customer_id = population.customer_id
    -- the rates valid on the order's day in the shop's zone (staging checked it has them)
    inner join currency_rates
        on
            orders.currency_code = currency_rates.currency_code
            and {{ local_date('orders.ordered_at') }} = currency_rates.rate_date
    where
        orders.is_purchase
        and orders.ordered_at <= population.as_of
)

select * from final
