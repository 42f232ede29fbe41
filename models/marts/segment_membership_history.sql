-- Segment membership over time: one row per spell of a customer in a segment. valid_from
-- is the build (refresh) that first saw the membership, valid_to the one that no longer
-- did (null while current). as_of_entered is the data's as_of at valid_from. Built from
-- the append-only history.segment_membership_changes: each entry and the change after it
-- (always an exit) make one spell.
with

changes as (
    select * from {{ ref('segment_membership_changes') }}
),

changes_paired as (
    select
        changes.customer_id,
        changes.segment,
        changes.change_type,
        changes.refreshed_at,
        changes.as_of,
        lead(changes.refreshed_at) over (
            partition by changes.customer_id, changes.segment
            order by changes.refreshed_at asc
        ) as next_change_at
    from changes
),

final as (
    select
        changes_paired.customer_id,
        changes_paired.segment,
        cast(changes_paired.refreshed_at as {{ dbt.type_timestamp() }}) as valid_from,
        cast(changes_paired.next_change_at as {{ dbt.type_timestamp() }}) as valid_to,
        changes_paired.next_change_at is null as is_current,
        cast(changes_paired.as_of as {{ dbt.type_timestamp() }}) as as_of_entered
    from changes_paired
    where changes_paired.change_type = 'entered'
)

select * from final
