-- Every share in the BI summaries is within 0-1 when its denominator is positive, and null
-- exactly when its denominator is 0: an empty population (no customer registered by
-- as_of) leaves the shares of customers null, a population without a counted order leaves
-- the shares of revenue null; counts and revenue are 0 there, never 0/0. Rows returned
-- are failures.

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

population as (
    select
        count(*) as customer_count,
        coalesce(sum(profiles.lifetime_value), 0) as revenue
    from profiles
),

shares as (
    select
        'segment_summary' as relation_name,
        summary_rows.segment as row_label,
        'share_of_customers' as share_name,
        summary_rows.share_of_customers as share_value,
        population.customer_count as denominator
    from {{ ref('segment_summary') }} as summary_rows
    cross join population
    union all
    select
        'segment_summary' as relation_name,
        summary_rows.segment as row_label,
        'share_of_revenue' as share_name,
        summary_rows.share_of_revenue as share_value,
        population.revenue as denominator
    from {{ ref('segment_summary') }} as summary_rows
    cross join population
    union all
    select
        'rfm_summary' as relation_name,
        summary_rows.rfm_group as row_label,
        'share_of_customers' as share_name,
        summary_rows.share_of_customers as share_value,
        population.customer_count as denominator
    from {{ ref('rfm_summary') }} as summary_rows
    cross join population
    union all
    select
        'rfm_summary' as relation_name,
        summary_rows.rfm_group as row_label,
        'share_of_revenue' as share_name,
        summary_rows.share_of_revenue as share_value,
        population.revenue as denominator
    from {{ ref('rfm_summary') }} as summary_rows
    cross join population
    union all
    select
        'demographic_summary' as relation_name,
        {{ dbt.concat(['summary_rows.breakdown', "'/'", 'summary_rows.group_value', "'/'",
            'summary_rows.subgroup_value']) }} as row_label,
        'share_of_customers' as share_name,
        summary_rows.share_of_customers as share_value,
        population.customer_count as denominator
    from {{ ref('demographic_summary') }} as summary_rows
    cross join population
    union all
    select
        'channel_performance' as relation_name,
        summary_rows.acquisition_channel as row_label,
        'share_of_customers' as share_name,
        summary_rows.share_of_customers as share_value,
        population.customer_count as denominator
    from {{ ref('channel_performance') }} as summary_rows
    cross join population
    union all
    select
        'channel_performance' as relation_name,
        summary_rows.acquisition_channel as row_label,
        'share_of_revenue' as share_name,
        summary_rows.share_of_revenue as share_value,
        population.revenue as denominator
    from {{ ref('channel_performance') }} as summary_rows
    cross join population
    union all
    select
        'channel_performance' as relation_name,
        summary_rows.acquisition_channel as row_label,
        'conversion_rate' as share_name,
        summary_rows.conversion_rate as share_value,
        summary_rows.customer_count as denominator
    from {{ ref('channel_performance') }} as summary_rows
)

select
    shares.relation_name,
    shares.row_label,
    shares.share_name,
    shares.share_value,
    shares.denominator
from shares
where
    case
        when shares.denominator = 0 then shares.share_value is not null
        else not coalesce(shares.share_value between 0 and 1, false)
    end
