-- Customers, buyers and revenue per country, region and city (docs/segments.md geographic
-- summary). Places are already grouped by their normalized key and shown under their most
-- frequent spelling (int_customers_located), so two cities of one name in two regions
-- stay two rows. Unknown countries, regions and cities are grouped under 'Unknown', never
-- dropped.
with

geographic as (
    select * from {{ ref('geographic') }}
),

final as (
    select
        coalesce(geographic.country_code, 'unknown') as country_code,
        geographic.country_name,
        geographic.market_region,
        coalesce(geographic.region, 'Unknown') as region,
        coalesce(geographic.city, 'Unknown') as city,
        count(*) as customer_count,
        cast(sum(case when geographic.is_buyer then 1 else 0 end) as {{ dbt.type_bigint() }})
            as buyer_count,
        cast(sum(geographic.lifetime_value) as decimal(18, 2)) as revenue,
        max(geographic.as_of) as as_of
    from geographic
    group by
        coalesce(geographic.country_code, 'unknown'),
        geographic.country_name,
        geographic.market_region,
        coalesce(geographic.region, 'Unknown'),
        coalesce(geographic.city, 'Unknown')
)

select * from final
