-- One row per customer and segment they belong to, shaped for the semantic layer: the
-- memberships of int_segment_memberships with the member's lifetime value (their revenue)
-- and the as_of date. Country and channel come through the customer entity
-- (semantic_customers).
with

memberships as (
    select * from {{ ref('int_segment_memberships') }}
),

profiles as (
    select * from {{ ref('customer_profile') }}
),

final as (
    select
        {{ dbt.concat(['memberships.customer_id', "'|'", 'memberships.segment']) }}
            as membership_id,
        memberships.customer_id,
        memberships.segment,
        {{ local_date('memberships.as_of') }} as as_of_date,
        profiles.lifetime_value
    from memberships
    inner join profiles
        on memberships.customer_id = profiles.customer_id
)

select * from final
