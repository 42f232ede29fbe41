-- Spend per customer and product category (docs/segments.md "top product category by spend"):
-- the order lines of counted orders, quantity * unit_price converted to the reporting
-- currency at the rates of the order's day (to_reporting_currency) and rounded to cents
-- per line. Line amounts are before
-- order-level discounts, so a category's spend can differ from the orders' totals.
-- One row per customer x category; a product without a category counts as uncategorized.
-- Incremental (docs/data-path.md "The customer grain"): a refresh recomputes only the
-- customers whose customer row, orders, order lines or products changed since the model was
-- last written (changed_customers) and those who left the population, every customer when
-- customer_grain_state says so; delete+insert on customer_id, a customer with no row left
-- gets a placeholder row (no category) that the post-hook deletes.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_customer_placeholders('category') }}"
) }}
{%- set state = customer_grain_state(['orders', 'order_items']) %}
{%- set partial = is_incremental() and not state.full %}
-- depends_on: {{ ref('stg_shop__raw_sources') }}, {{ ref('int_population') }}

with

{% if is_incremental() -%}
stored_rows as (
    select * from {{ this }}
),

{% endif -%}
{% if partial -%}
population as (
    select * from {{ ref('int_population') }}
),

recomputed_customers as (
    -- the customers whose inputs changed, and the stored customers who left the population
    -- (deleted, erased, not clean any more)
    select changed.customer_id
    from (
        {{ changed_customers(['customers', 'orders', 'order_items', 'products'], state.since) }}
    ) as changed
    union
    select stored_rows.customer_id
    from stored_rows
    left join population
        on stored_rows.customer_id = population.customer_id
    where population.customer_id is null
),

{% endif -%}
counted_orders as (
    select purchases.*
    from {{ ref('int_counted_purchases') }} as purchases
    {%- if partial %}
    inner join recomputed_customers
        on purchases.customer_id = recomputed_customers.customer_id
    {%- endif %}
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

spend_rows as (
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
),

final as (
    select
        written.*,
        -- the refresh state (customer_grain_state)
        '{{ state.context }}' as _refresh_context,
        cast({{ state.sources }} as {{ dbt.type_bigint() }}) as _refresh_sources,
        {{ loaded_at() }} as _loaded_at
    from (
        {{ customer_grain_rows('spend_rows', [
            ('category', dbt.type_string()),
            ('category_spend', 'decimal(18, 2)'),
            ('category_order_count', dbt.type_bigint()),
            ('share_of_customer_spend', 'double'),
            ('category_rank', dbt.type_bigint())], partial) }}
    ) as written
)

select * from final
