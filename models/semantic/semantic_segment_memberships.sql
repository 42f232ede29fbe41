-- One row per customer and segment they belong to, shaped for the semantic layer: the
-- segment, the member's lifetime value (their revenue) and the as_of date. Country and
-- channel come through the customer entity (semantic_customers).
{%- set segments = segment_flags() %}

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

memberships as (
    {%- for segment_name, flag in segments %}
    select
        profiles.customer_id,
        '{{ segment_name }}' as segment,
        cast(profiles.as_of as date) as as_of_date,
        profiles.lifetime_value
    from profiles
    where profiles.{{ flag }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ dbt.concat(['memberships.customer_id', "'|'", 'memberships.segment']) }}
            as membership_id,
        memberships.customer_id,
        memberships.segment,
        memberships.as_of_date,
        memberships.lifetime_value
    from memberships
)

select * from final
