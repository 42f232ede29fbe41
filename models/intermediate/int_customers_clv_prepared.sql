-- What the CLV models (BG/NBD, Gamma-Gamma) read, one row per buyer, as of as_of: the
-- buyer's purchases at day grain, as the models define a transaction (counted orders on
-- one calendar day of the shop's clock, var shop_timezone, are one purchase worth their
-- sum). x = repeat purchase days
-- (after the first), t_x = days from the first to the last purchase day, T = days from
-- the first purchase day to as_of's date, m_x = mean value of the repeat purchase days.
-- Portable SQL: on every engine (the fit itself is DuckDB-only, int_clv_models_fitted).
with

counted_orders as (
    select * from {{ ref('int_counted_purchases') }}
),

population as (
    select * from {{ ref('int_population') }}
),

purchase_days as (
    select
        counted_orders.customer_id,
        {{ local_date('counted_orders.ordered_at') }} as purchase_date,
        sum(counted_orders.order_total_reporting) as purchase_value
    from counted_orders
    group by counted_orders.customer_id, {{ local_date('counted_orders.ordered_at') }}
),

buyers as (
    select
        purchase_days.customer_id,
        min(purchase_days.purchase_date) as first_purchase_date,
        max(purchase_days.purchase_date) as last_purchase_date,
        count(*) as purchase_day_count,
        sum(purchase_days.purchase_value) as total_value
    from purchase_days
    group by purchase_days.customer_id
),

first_purchases as (
    select
        purchase_days.customer_id,
        purchase_days.purchase_value as first_purchase_value
    from purchase_days
    inner join buyers
        on
            purchase_days.customer_id = buyers.customer_id
            and purchase_days.purchase_date = buyers.first_purchase_date
),

repeat_purchases as (
    -- x and the repeat purchases' total in cents (the first purchase day left out)
    select
        buyers.customer_id,
        buyers.purchase_day_count - 1 as repeat_count,
        cast(
            (buyers.total_value - first_purchases.first_purchase_value) * 100
            as {{ dbt.type_bigint() }}
        ) as repeat_cents
    from buyers
    inner join first_purchases
        on buyers.customer_id = first_purchases.customer_id
),

final as (
    select
        buyers.customer_id,
        population.as_of,
        buyers.first_purchase_date,
        cast(repeat_purchases.repeat_count as {{ dbt.type_bigint() }}) as repeat_purchase_days,
        cast(
            {{ days_between('buyers.first_purchase_date', 'buyers.last_purchase_date') }}
            as {{ dbt.type_bigint() }}
        ) as repeat_recency_days,
        cast(
            {{ days_between('buyers.first_purchase_date', local_date('population.as_of')) }}
            as {{ dbt.type_bigint() }}
        ) as days_since_first_purchase,
        -- repeat cents / x rounded half up to the cent, in integers (as avg_order_value);
        -- null when x = 0
        cast(
            floor(
                (2 * repeat_purchases.repeat_cents + repeat_purchases.repeat_count)
                / (2.0 * nullif(repeat_purchases.repeat_count, 0))
            ) / 100
            as decimal(18, 2)
        ) as mean_repeat_order_value
    from buyers
    inner join repeat_purchases
        on buyers.customer_id = repeat_purchases.customer_id
    inner join population
        on buyers.customer_id = population.customer_id
)

select * from final
