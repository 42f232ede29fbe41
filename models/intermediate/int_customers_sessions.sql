-- The web sessions of each member of the population up to as_of (docs/segments.md
-- "Metrics", "The customer picture"): visits, recent visits, last visit and the primary
-- device, in one pass over the sessions for int_customers_metrics and
-- int_customers_attributes. One row per member with at least one session.
-- Incremental (docs/data-path.md "The customer grain"): a refresh recomputes only the
-- customers whose customer row or sessions changed since the model was last written
-- (changed_customers), those who left the population, and those with a session between
-- the last write's recent-visits window and this one (the window ends at as_of, which moves
-- with the data when var as_of is unset); every customer when customer_grain_state says so.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_customer_placeholders('visit_count') }}"
) }}
{%- set state = customer_grain_state(['sessions'], ['recent_days']) %}
{%- set partial = is_incremental() and not state.full and state.as_of is not none %}
{%- set recent_days = int_var('recent_days') %}
-- depends_on: {{ ref('stg_shop__raw_sources') }}

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

{% if is_incremental() -%}
stored_rows as (
    select * from {{ this }}
),

{% endif -%}
{% if partial -%}
windows as (
    -- the as_of of the stored rows and this run's, earlier first
    select
        case when clock.as_of < {{ state.as_of }} then clock.as_of else {{ state.as_of }} end
            as earlier_as_of,
        case when clock.as_of < {{ state.as_of }} then {{ state.as_of }} else clock.as_of end
            as later_as_of
    from clock
),

recomputed_customers as (
    -- the customers whose inputs changed, the stored customers who left the population,
    -- and the customers with a session that entered or left the window (its start or its
    -- end moved past it)
    select changed.customer_id
    from (
        {{ changed_customers(['customers', 'sessions'], state.since) }}
    ) as changed
    union
    select stored_rows.customer_id
    from stored_rows
    left join population
        on stored_rows.customer_id = population.customer_id
    where population.customer_id is null
    union
    select sessions.customer_id
    from sessions
    cross join windows
    where
        (
            sessions.started_at > {{ shift_days(-recent_days, 'windows.earlier_as_of') }}
            and sessions.started_at <= {{ shift_days(-recent_days, 'windows.later_as_of') }}
        )
        or (
            sessions.started_at > windows.earlier_as_of
            and sessions.started_at <= windows.later_as_of
        )
),

{% endif -%}
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
                    > {{ shift_days(-recent_days, 'clock.as_of') }}
                    then 1
                else 0
            end
        ) as recent_session_count,
        max(sessions.started_at) as last_started_at
    from sessions
    cross join clock
    {%- if partial %}
    inner join recomputed_customers
        on sessions.customer_id = recomputed_customers.customer_id
    {%- endif %}
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

visit_rows as (
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
),

final as (
    select
        written.*,
        -- the refresh state (customer_grain_state)
        '{{ state.context }}' as _refresh_context,
        cast({{ state.sources }} as {{ dbt.type_bigint() }}) as _refresh_sources,
        clock.as_of as _refresh_as_of,
        {{ loaded_at() }} as _loaded_at
    from (
        {{ customer_grain_rows('visit_rows', [
            ('visit_count', dbt.type_bigint()),
            ('recent_visit_count', dbt.type_bigint()),
            ('last_visit_at', dbt.type_timestamp()),
            ('primary_device', dbt.type_string())], partial) }}
    ) as written
    cross join clock
)

select * from final
