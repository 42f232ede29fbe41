-- Segment membership history, append-only, one row per change: at each build (refresh)
-- a customer 'entered' every segment they are now in and were not in at the previous
-- change recorded, and 'left' every segment they were in and no longer are. Keyed by the
-- build: refresh_id = dbt's invocation id, refreshed_at = when the build started (UTC).
-- Only appends: runs on every engine, no snapshot (Spark here has no Delta/Iceberg to
-- merge into), and `--full-refresh` never rebuilds it (full_refresh=false): the history
-- is kept. A build without a change appends nothing. marts.segment_membership_history
-- and marts.segment_transitions read it.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    post_hook="{{ forget_deleted_customers() }}",
) }}
{%- set previous_snapshot = none -%}
{%- if execute and not is_incremental() -%}
    {#- a warehouse built before this model kept the history in the dbt snapshot
        snapshots.segment_membership_snapshot: its spells are carried over once -#}
    {%- set previous_snapshot = adapter.get_relation(
        database=this.database, schema='snapshots', identifier='segment_membership_snapshot') -%}
{%- endif %}

with

memberships as (
    select * from {{ ref('int_segment_memberships') }}
),

as_of_resolved as (
    select * from {{ ref('int_as_of_resolved') }}
),

{% if is_incremental() %}
recorded_changes as (
    select * from {{ this }}
),

{% elif previous_snapshot is not none %}
recorded_changes as (
    -- the snapshot's spells as changes: entered at dbt_valid_from, left at dbt_valid_to
    -- (the as_of of a migrated 'left' is not in the snapshot: null)
    select
        'segment_membership_snapshot' as refresh_id,
        cast(snapshot.dbt_valid_from as {{ dbt.type_timestamp() }}) as refreshed_at,
        snapshot.customer_id,
        snapshot.segment,
        'entered' as change_type,
        cast(snapshot.as_of as {{ dbt.type_timestamp() }}) as as_of
    from {{ previous_snapshot }} as snapshot
    union all
    select
        'segment_membership_snapshot' as refresh_id,
        cast(snapshot.dbt_valid_to as {{ dbt.type_timestamp() }}) as refreshed_at,
        snapshot.customer_id,
        snapshot.segment,
        'left' as change_type,
        cast(null as {{ dbt.type_timestamp() }}) as as_of
    from {{ previous_snapshot }} as snapshot
    where snapshot.dbt_valid_to is not null
),

{% else %}
recorded_changes as (
    -- the first build: nothing recorded yet
    select
        cast(null as {{ dbt.type_string() }}) as refresh_id,
        cast(null as {{ dbt.type_timestamp() }}) as refreshed_at,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(null as {{ dbt.type_string() }}) as change_type,
        cast(null as {{ dbt.type_timestamp() }}) as as_of
    from as_of_resolved
    where 1 = 0
),

{% endif %}
changes_ranked as (
    select
        recorded_changes.customer_id,
        recorded_changes.segment,
        recorded_changes.change_type,
        row_number() over (
            partition by recorded_changes.customer_id, recorded_changes.segment
            order by recorded_changes.refreshed_at desc
        ) as change_recency
    from recorded_changes
),

open_memberships as (
    -- a member at the previous change recorded: the latest change is an entry
    select
        changes_ranked.customer_id,
        changes_ranked.segment
    from changes_ranked
    where changes_ranked.change_recency = 1 and changes_ranked.change_type = 'entered'
),

this_refresh as (
    select
        '{{ invocation_id }}' as refresh_id,
        cast(
            '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}
        ) as refreshed_at,
        as_of_resolved.as_of
    from as_of_resolved
),

entries_and_exits as (
    -- a membership on one side only: a member now and not before entered, the reverse left
    select
        coalesce(memberships.customer_id, open_memberships.customer_id) as customer_id,
        coalesce(memberships.segment, open_memberships.segment) as segment,
        case
            when open_memberships.customer_id is null then 'entered' else 'left'
        end as change_type
    from memberships
    full outer join open_memberships
        on
            memberships.customer_id = open_memberships.customer_id
            and memberships.segment = open_memberships.segment
    where memberships.customer_id is null or open_memberships.customer_id is null
),

new_changes as (
    select
        this_refresh.refresh_id,
        this_refresh.refreshed_at,
        entries_and_exits.customer_id,
        entries_and_exits.segment,
        entries_and_exits.change_type,
        this_refresh.as_of
    from entries_and_exits
    cross join this_refresh
),

final as (
    {%- if not is_incremental() and previous_snapshot is not none %}
    select
        recorded_changes.refresh_id,
        recorded_changes.refreshed_at,
        recorded_changes.customer_id,
        recorded_changes.segment,
        recorded_changes.change_type,
        recorded_changes.as_of
    from recorded_changes
    union all
    {%- endif %}
    select
        new_changes.refresh_id,
        new_changes.refreshed_at,
        new_changes.customer_id,
        new_changes.segment,
        new_changes.change_type,
        new_changes.as_of
    from new_changes
)

select * from final
