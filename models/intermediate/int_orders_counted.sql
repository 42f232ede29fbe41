-- Counted orders (segments.md): clean purchases ordered at or before as_of by a member
-- of the population, with order_total converted to the reporting currency and rounded
-- to cents per order.
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

population as (
    select * from {{ ref('int_customers_registered') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

reporting_rate as (
    select currency_rates.usd_per_unit
    from currency_rates
    where currency_rates.currency_code = '{{ var("reporting_currency") | upper }}'
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
        cast(
            case
                when orders.currency_code = '{{ var("reporting_currency") | upper }}'
                    then round(orders.order_total, 2)
                else round(
                        cast(orders.order_total as decimal(18, 6))
                        * cast(
                            currency_rates.usd_per_unit / reporting_rate.usd_per_unit
                            as decimal(18, 12)
                        ),
                        2
                    )
            end
            as decimal(18, 2)
        ) as order_total_reporting
    from orders
    inner join population
        on orders.customer_id = population.customer_id
    inner join currency_rates
        on orders.currency_code = currency_rates.currency_code
    cross join reporting_rate
    where
        orders.is_purchase
        and orders.ordered_at <= population.as_of
)

select * from final
