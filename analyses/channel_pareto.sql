-- Channel Pareto: acquisition channels from the most customers down, with the
-- cumulative share of customers and of revenue and whether the channel is in the core
-- that brings the first pareto_core_share of customers (var pareto_core_share, carried by
-- marts.reporting_context). Reads the marts.channel_performance mart; chart as bars
-- (customer_count) with a line (cumulative_share_of_customers).
with

channels as (
    select * from {{ ref('channel_performance') }}
),

reporting_context as (
    select * from {{ ref('reporting_context') }}
),

final as (
    select
        channels.channel_rank,
        channels.acquisition_channel,
        channels.customer_count,
        channels.buyer_count,
        channels.conversion_rate,
        channels.revenue,
        channels.cumulative_share_of_customers,
        -- global windows on purpose: one row per acquisition channel
        sum(channels.revenue) over (
            order by channels.channel_rank
            rows between unbounded preceding and current row
        ) / nullif(sum(channels.revenue) over (), 0) as cumulative_share_of_revenue,
        channels.is_pareto_core,
        reporting_context.pareto_core_share
    from channels
    cross join reporting_context
)

select * from final
order by final.channel_rank
