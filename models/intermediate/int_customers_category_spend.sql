-- Spend per customer and product category (docs/segments.md "top product category by spend"):
-- the order lines of counted orders, quantity * unit_price converted to the reporting
-- currency at the rates of the order's day (to_reporting_currency) and rounded to cents
-- per line. Line amounts are before
-- order-level discounts, so a category's spend can differ from the orders' totals.
-- One row per customer x category; a product without a category counts as uncategorized.
with

counted_orders as (
    select * from {{ ref('int_counted_purchases') }}
),

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

currency_rates as (
    select * from {{ ref('int_currency_rates_rebased') }}
),

lines as (
    select
        counted_orders.customer_id,
        counted_orders.order_id,
        coalesce(products.category, 'uncategorized') as category,
        {{ to_reporting_currency(
            'order_items.quantity * order_items.unit_price',
            'counted_orders.currency_code',
            'currency_rates') }} as line_amount_reporting
    from order_items
    inner join counted_orders
        on order_items.order_id = counted_orders.order_id
    inner join products
        on order_items.product_id = products.product_id
    inner join currency_rates
        on
            counted_orders.currency_code = currency_rates.currency_code
            and {{ local_date('counted_orders.ordered_at') }} = currency_rates.rate_date
),

order_categories as (
    -- one row per counted order and category it has lines in: counting these rows gives
    -- the orders per category without a count(distinct)
    select
        lines.customer_id,
        lines.order_id,
        lines.category,
        sum(lines.line_amount_reporting) as order_category_spend
    from lines
    group by lines.customer_id, lines.order_id, lines.category
),

category_spend as (
    select
        order_categories.customer_id,
        order_categories.category,
        cast(sum(order_categories.order_category_spend) as decimal(18, 2)) as category_spend,
        count(*) as category_order_count
    from order_categories
    group by order_categories.customer_id, order_categories.category
),

customer_totals as (
    select
        category_spend.customer_id,
        sum(category_spend.category_spend) as customer_spend
    from category_spend
    group by category_spend.customer_id
),

final as (
    select
        category_spend.customer_id,
        category_spend.category,
        category_spend.category_spend,
        category_spend.category_order_count,
        case
            when customer_totals.customer_spend > 0
                then cast(category_spend.category_spend as double)
                    / cast(customer_totals.customer_spend as double)
        end as share_of_customer_spend,
        -- highest spend first; ties go to the category name that sorts first
        row_number() over (
            partition by category_spend.customer_id
            order by category_spend.category_spend desc, category_spend.category asc
        ) as category_rank
    from category_spend
    inner join customer_totals
        on category_spend.customer_id = customer_totals.customer_id
)

select * from final
