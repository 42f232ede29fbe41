-- Moves between segments, per refresh: at each refresh time, every segment a customer left
-- paired with every segment they entered. from_segment null = entered without leaving
-- anything (e.g. a new customer, or the first refresh); to_segment null = left without
-- entering anything. Segments overlap, so a customer can have several rows per refresh.
with

history as (
    select * from {{ ref('segment_membership_history') }}
),

exits as (
    select
        history.customer_id,
        history.segment as from_segment,
        history.valid_to as refreshed_at
    from history
    where history.valid_to is not null
),

entries as (
    select
        history.customer_id,
        history.segment as to_segment,
        history.valid_from as refreshed_at
    from history
),

final as (
    select
        coalesce(exits.refreshed_at, entries.refreshed_at) as refreshed_at,
        coalesce(exits.customer_id, entries.customer_id) as customer_id,
        exits.from_segment,
        entries.to_segment
    from exits
    full outer join entries
        on
            exits.customer_id = entries.customer_id
            and exits.refreshed_at = entries.refreshed_at
)

select * from final
