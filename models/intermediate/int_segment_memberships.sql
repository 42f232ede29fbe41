-- Current segment membership, one row per customer and segment they belong to: the
-- flags of int_customers_segmented unpivoted. The snapshot segment_membership_snapshot
-- records it at every build, which gives the history and the transitions in marts.
{%- set segments = [
    ('vip', 'is_vip'),
    ('hesitant', 'is_hesitant'),
    ('registered_no_order', 'is_registered_no_order'),
    ('geographic', 'is_geographic'),
    ('loyal', 'is_loyal'),
    ('one_time_buyers', 'is_one_time_buyer'),
    ('coupon_lovers', 'is_coupon_lover'),
    ('cart_abandoners', 'is_cart_abandoner'),
] %}

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
