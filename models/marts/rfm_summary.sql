-- Per RFM group (docs/segments.md "RFM scores and the usual named RFM groups"): customers,
-- share of customers, revenue, share of revenue and the group's average recency,
-- frequency and monetary value. Every group has a row, empty ones included, in the order
-- of the score-to-group table in docs/segments.md (best first, prospects last).
{%- set groups = ['champions', 'loyal', 'potential_loyalists', 'new', 'promising',
    'needs_attention', 'about_to_sleep', 'at_risk', 'cannot_lose', 'hibernating', 'lost',
    'prospects'] %}

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

resolved as (
    -- the build's as_of, also when the population is empty (no profile to read it from)
    select * from {{ ref('int_as_of_resolved') }}
),

rfm_groups as (
    {%- for group_name in groups %}
    select
        '{{ group_name }}' as rfm_group,
        {{ loop.index }} as group_order
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

group_totals as (
    select
        profiles.rfm_group,
        count(*) as customer_count,
        sum(profiles.lifetime_value) as revenue,
        -- averages from exact sums (a floating-point avg() depends on the order rows are
        -- added in, and two refreshes of the same data must publish identical marts)
        case
            when count(profiles.days_since_last_order) > 0
                then cast(sum(profiles.days_since_last_order) as double)
                    / count(profiles.days_since_last_order)
        end as avg_days_since_last_order,
        cast(sum(profiles.order_count) as double) / count(*) as avg_order_count,
        cast(sum(profiles.lifetime_value) as double) / count(*) as avg_lifetime_value
    from profiles
    group by profiles.rfm_group
),

totals as (
    select
        count(*) as customer_count,
        sum(profiles.lifetime_value) as revenue
    from profiles
),

final as (
    select
        rfm_groups.rfm_group,
        cast(rfm_groups.group_order as {{ dbt.type_bigint() }}) as group_order,
        cast(coalesce(group_totals.customer_count, 0) as {{ dbt.type_bigint() }})
            as customer_count,
        case
            when totals.customer_count > 0
                then cast(coalesce(group_totals.customer_count, 0) as double)
                    / totals.customer_count
        end as share_of_customers,
        cast(coalesce(group_totals.revenue, 0) as decimal(18, 2)) as revenue,
        case
            when totals.revenue > 0
                then cast(coalesce(group_totals.revenue, 0) as double)
                    / cast(totals.revenue as double)
        end as share_of_revenue,
        group_totals.avg_days_since_last_order,
        group_totals.avg_order_count,
        group_totals.avg_lifetime_value,
        (select resolved.as_of from resolved) as as_of
    from rfm_groups
    cross join totals
    left join group_totals
        on rfm_groups.rfm_group = group_totals.rfm_group
)

select * from final
