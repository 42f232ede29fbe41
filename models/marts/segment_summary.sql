-- Per segment: members, share of customers, revenue (lifetime value of the members) and
-- share of revenue. Shares are null when the population (or its revenue) is empty.
{%- set segments = segment_flags() %}

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

resolved as (
    -- the build's as_of, also when the population is empty (no profile to read it from)
    select * from {{ ref('int_as_of_resolved') }}
),

totals as (
    select
        count(*) as customer_count,
        sum(profiles.lifetime_value) as revenue
    from profiles
),

{% for segment_name, flag in segments %}
{{ segment_name }}_members as (
    select
        '{{ segment_name }}' as segment,
        cast(sum(case when profiles.{{ flag }} then 1 else 0 end) as {{ dbt.type_bigint() }})
            as member_count,
        sum(case when profiles.{{ flag }} then profiles.lifetime_value else 0 end) as revenue
    from profiles
),

{% endfor %}
members as (
    {%- for segment_name, flag in segments %}
    select * from {{ segment_name }}_members
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        members.segment,
        coalesce(members.member_count, 0) as member_count,
        case
            when totals.customer_count > 0
                then cast(members.member_count as double) / totals.customer_count
        end as share_of_customers,
        cast(coalesce(members.revenue, 0) as decimal(18, 2)) as revenue,
        case
            when totals.revenue > 0
                then cast(members.revenue as double) / cast(totals.revenue as double)
        end as share_of_revenue,
        (select resolved.as_of from resolved) as as_of
    from members
    cross join totals
)

select * from final
