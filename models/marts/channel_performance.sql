-- Per acquisition channel (docs/segments.md): customers, buyers, conversion rate, revenue,
-- the channel's rank by customers, the cumulative share of customers down that ranking and
-- the Pareto core: the channels that together bring the first pareto_core_share (0.8) of
-- customers (a channel is in the core when the channels ranked above it bring less).
{%- set core = fraction_var('pareto_core_share') %}

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

resolved as (
    -- the build's as_of, also when the population is empty (no profile to read it from)
    select * from {{ ref('int_as_of_resolved') }}
),

channels as (
    select
        profiles.acquisition_channel,
        count(*) as customer_count,
        sum(case when profiles.order_count >= 1 then 1 else 0 end) as buyer_count,
        sum(profiles.lifetime_value) as revenue
    from profiles
    group by profiles.acquisition_channel
),

channels_ranked as (
    -- most customers first, then most revenue, then by name: a strict order, so the
    -- cumulative share is well defined. Global windows on purpose: one row per
    -- acquisition channel (the channel map's ~10 values plus other/unknown)
    select
        channels.*,
        row_number() over (
            order by
                channels.customer_count desc,
                channels.revenue desc,
                channels.acquisition_channel asc
        ) as channel_rank,
        sum(channels.customer_count) over (
            order by
                channels.customer_count desc,
                channels.revenue desc,
                channels.acquisition_channel asc
            rows between unbounded preceding and current row
        ) as cumulative_customer_count,
        sum(channels.customer_count) over () as total_customer_count,
        sum(channels.revenue) over () as total_revenue
    from channels
),

final as (
    select
        channels_ranked.acquisition_channel,
        cast(channels_ranked.customer_count as {{ dbt.type_bigint() }}) as customer_count,
        cast(channels_ranked.buyer_count as {{ dbt.type_bigint() }}) as buyer_count,
        cast(channels_ranked.buyer_count as double)
        / channels_ranked.customer_count as conversion_rate,
        cast(channels_ranked.revenue as decimal(18, 2)) as revenue,
        case
            when channels_ranked.total_revenue > 0
                then cast(channels_ranked.revenue as double)
                    / cast(channels_ranked.total_revenue as double)
        end as share_of_revenue,
        cast(channels_ranked.channel_rank as {{ dbt.type_bigint() }}) as channel_rank,
        cast(channels_ranked.customer_count as double)
        / channels_ranked.total_customer_count as share_of_customers,
        cast(channels_ranked.cumulative_customer_count as double)
        / channels_ranked.total_customer_count as cumulative_share_of_customers,
        -- customers of the channels ranked above < pareto_core_share of all, as integers
        (channels_ranked.cumulative_customer_count - channels_ranked.customer_count)
        * {{ core.denominator }}
        < channels_ranked.total_customer_count * {{ core.numerator }} as is_pareto_core,
        (select resolved.as_of from resolved) as as_of
    from channels_ranked
)

select * from final
