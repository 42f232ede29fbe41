-- The web sessions of each member of the population up to as_of (docs/segments.md
-- "Metrics", "The customer picture"): visits, recent visits, last visit and the primary
-- device, in one pass over the sessions for int_customers_metrics and
-- int_customers_attributes. One row per member with at least one session.
with

sessions as (
    select * from {{ ref('stg_shop__sessions') }}
),

population as (
    select * from {{ ref('int_population') }}
),

clock as (
    select max(population.as_of) as as_of
    from population
),

device_sessions as (
    -- per customer id and device before the join with the population (which drops the
    -- sessions of non-members): the join then matches a few rows per customer, not one per
    -- session
    select
        sessions.customer_id,
        sessions.device_type,
        count(*) as session_count,
        sum(
            case
                when sessions.started_at
                    > {{ shift_days(-int_var('recent_days'), 'clock.as_of') }}
                    then 1
                else 0
            end
        ) as recent_session_count,
        max(sessions.started_at) as last_started_at
    from sessions
    cross join clock
    where sessions.started_at <= clock.as_of
    group by sessions.customer_id, sessions.device_type
),

visits as (
    select
        device_sessions.customer_id,
        cast(sum(device_sessions.session_count) as {{ dbt.type_bigint() }}) as visit_count,
        cast(sum(device_sessions.recent_session_count) as {{ dbt.type_bigint() }})
            as recent_visit_count,
        max(device_sessions.last_started_at) as last_visit_at,
        max(device_sessions.session_count) as peak_session_count
    from device_sessions
    group by device_sessions.customer_id
),

primary_devices as (
    -- the device of most sessions; ties go to the device name that sorts first (min ignores
    -- a null device, as a sort with nulls last would)
    select
        device_sessions.customer_id,
        min(device_sessions.device_type) as primary_device
    from device_sessions
    inner join visits
        on
            device_sessions.customer_id = visits.customer_id
            and device_sessions.session_count = visits.peak_session_count
    group by device_sessions.customer_id
),

final as (
    select
        population.customer_id,
        visits.visit_count,
        visits.recent_visit_count,
        visits.last_visit_at,
        primary_devices.primary_device
    from population
    inner join visits
        on population.customer_id = visits.customer_id
    inner join primary_devices
        on population.customer_id = primary_devices.customer_id
)

select * from final
