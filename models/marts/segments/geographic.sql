-- Geographic (docs/segments.md): every customer of the
-- population with the normalized country (code, name, market region), region, city,
-- work city and whether they buy. Unknown or invalid country codes stay, as unknown.
-- Region, city and work city are shown under the most frequent spelling of their place
-- (int_customers_located: case, accents, spacing and punctuation ignored).
with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

countries as (
    select * from {{ ref('countries') }}
),

final as (
    select
        customers.customer_id,
        customers.country_code,
        coalesce(countries.country_name, 'Unknown') as country_name,
        coalesce(countries.market_region, 'Unknown') as market_region,
        customers.region,
        customers.city,
        customers.work_city,
        customers.order_count >= 1 as is_buyer,
        customers.order_count,
        customers.lifetime_value,
        customers.sms_opt_in,
        customers.email_opt_in,
        customers.as_of
    from customers
    left join countries
        on customers.country_code = countries.country_code
    where customers.is_geographic
)

select * from final
