-- Purchase cycle (docs/segments.md) of customers with at least two counted orders:
-- the median of the calendar days (dates in the shop's zone, var shop_timezone) between
-- consecutive counted orders, the expected next order (last order + that median), whether
-- it is due around as_of, and the calendar month with most orders. The median is computed
-- by hand (row_number + count; the mean of the two middle gaps for an even count), the
-- same on every engine.
with

counted_orders as (
    select * from {{ ref('int_counted_purchases') }}
),

population as (
    select * from {{ ref('int_population') }}
),

orders_sequenced as (
    -- orders at the same instant are next to each other in any order and 0 days apart, so
    -- the gaps need no tie-break on order_id (a cheaper sort)
    select
        counted_orders.customer_id,
        counted_orders.ordered_at,
        lag(counted_orders.ordered_at) over (
            partition by counted_orders.customer_id
            order by counted_orders.ordered_at asc
        ) as previous_ordered_at
    from counted_orders
),

gaps as (
    select
        orders_sequenced.customer_id,
        cast(
            {{ days_between(
                local_date('orders_sequenced.previous_ordered_at'),
                local_date('orders_sequenced.ordered_at')) }}
            as {{ dbt.type_bigint() }}
        ) as gap_days
    from orders_sequenced
    where orders_sequenced.previous_ordered_at is not null
),

gaps_ranked as (
    select
        gaps.customer_id,
        gaps.gap_days,
        row_number() over (
            partition by gaps.customer_id order by gaps.gap_days asc
        ) as gap_position,
        count(*) over (partition by gaps.customer_id) as gap_count
    from gaps
),

medians as (
    -- the middle gap (odd count) or the two middle gaps (even count), averaged:
    -- positions p with 2p in {n, n + 1, n + 2}
    select
        gaps_ranked.customer_id,
        avg(cast(gaps_ranked.gap_days as double)) as median_days_between_orders
    from gaps_ranked
    where
        2 * gaps_ranked.gap_position >= gaps_ranked.gap_count
        and 2 * gaps_ranked.gap_position <= gaps_ranked.gap_count + 2
    group by gaps_ranked.customer_id
),

order_months as (
    select
        counted_orders.customer_id,
        {{ date_part_number('month', local_date('counted_orders.ordered_at')) }} as order_month,
        count(*) as month_order_count
    from counted_orders
    group by
        counted_orders.customer_id,
        {{ date_part_number('month', local_date('counted_orders.ordered_at')) }}
),

peak_months as (
    -- most orders first; ties go to the earlier calendar month: the largest
    -- month_order_count * 100 + (12 - order_month) (an aggregate, not a sort per customer)
    select
        order_months.customer_id,
        12 - max(order_months.month_order_count * 100 + 12 - order_months.order_month) % 100
            as order_month
    from order_months
    group by order_months.customer_id
),

last_orders as (
    select
        counted_orders.customer_id,
        max(counted_orders.ordered_at) as last_order_at
    from counted_orders
    group by counted_orders.customer_id
),

cycles as (
    select
        medians.customer_id,
        population.as_of,
        medians.median_days_between_orders,
        -- the median is a whole or half number of days: * 24 is an exact hour count
        {{ timestamp_add(
            'hour',
            'cast(round(medians.median_days_between_orders * 24, 0) as ' ~ dbt.type_bigint() ~ ')',
            'last_orders.last_order_at') }} as expected_next_order_at,
        cast(peak_months.order_month as {{ dbt.type_bigint() }}) as peak_order_month
    from medians
    inner join population
        on medians.customer_id = population.customer_id
    inner join last_orders
        on medians.customer_id = last_orders.customer_id
    inner join peak_months
        on medians.customer_id = peak_months.customer_id
),

final as (
    select
        cycles.customer_id,
        cycles.median_days_between_orders,
        cycles.expected_next_order_at,
        -- due: as_of - N days < expected_next_order_at <= as_of + N days
        (
            cycles.expected_next_order_at
            > {{ shift_days(-int_var('purchase_due_window_days'), 'cycles.as_of') }}
            and cycles.expected_next_order_at
            <= {{ shift_days(int_var('purchase_due_window_days'), 'cycles.as_of') }}
        ) as is_due_for_next_order,
        cycles.peak_order_month
    from cycles
)

select * from final
