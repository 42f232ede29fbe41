-- Customer x product category (docs/segments.md: interests): what each buyer spends on
-- each category, in how many orders, and the category's share of the customer's spend.
-- Spend is the order lines' quantity * unit_price in the reporting currency, before
-- order-level discounts (see int_customers_category_spend).
with

category_spend as (
    select * from {{ ref('int_customers_category_spend') }}
),

population as (
    select * from {{ ref('int_population') }}
),

final as (
    select
        category_spend.customer_id,
        category_spend.category,
        category_spend.category_spend as spend,
        cast(category_spend.category_order_count as {{ dbt.type_bigint() }}) as order_count,
        category_spend.share_of_customer_spend,
        cast(category_spend.category_rank as {{ dbt.type_bigint() }}) as category_rank,
        category_spend.category_rank = 1 as is_top_category,
        population.as_of
    from category_spend
    inner join population
        on category_spend.customer_id = population.customer_id
)

select * from final
