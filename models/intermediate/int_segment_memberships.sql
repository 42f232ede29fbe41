-- Current segment membership, one row per customer and segment they belong to: the
-- flags of int_customers_segmented unpivoted. The snapshot segment_membership_snapshot
-- records it at every build, which gives the history and the transitions in marts.
-- A view: one pass over the flags when the snapshot reads it, no table of every membership.
{{ config(materialized='view') }}
{%- set segments = segment_flags() %}

with

customers as (
    select * from {{ ref('int_customers_segmented') }}
),

memberships as (
    {%- for segment_name, flag in segments %}
    select
        customers.customer_id,
        '{{ segment_name }}' as segment,
        customers.as_of
    from customers
    where customers.{{ flag }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        memberships.customer_id,
        memberships.segment,
        memberships.as_of
    from memberships
)

select * from final
