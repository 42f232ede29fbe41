-- The web sessions of each member of the population up to as_of (segments.md metrics and
-- "Customer profile"): visits, recent visits, last visit and the primary device, in one
-- pass over the sessions for int_customers_aggregated and int_customers_described. One row
-- per member with at least one session.
with

sessions as (
    select * from {{ ref('stg_shop__sessions') }}
),

population as (
    select * from {{ ref('int_customers_registered') }}
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
                    > {{ timestamp_add('day', -int_var('recent_days'), 'clock.as_of') }}
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
        max(device_sessions.last_started_at) as last_visit_at
    from device_sessions
    group by device_sessions.customer_id
),

devices_ranked as (
    -- most sessions first; ties go to the device name that sorts first
    select
        device_sessions.customer_id,
        device_sessions.device_type,
        row_number() over (
            partition by device_sessions.customer_id
            order by device_sessions.session_count desc, device_sessions.device_type asc
        ) as device_rank
    from device_sessions
),

final as (
    select
        population.customer_id,
        visits.visit_count,
        visits.recent_visit_count,
        visits.last_visit_at,
        devices_ranked.device_type as primary_device
    from population
    inner join visits
        on population.customer_id = visits.customer_id
    inner join devices_ranked
        on
            population.customer_id = devices_ranked.customer_id
            and devices_ranked.device_rank = 1
)

select * from final
