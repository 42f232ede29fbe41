-- Nobody outside the population is in a segment: every segment member is a row of
-- customer_profile with that segment's flag set. Rows returned are failures.
{%- set segments = [
    ('vip', 'is_vip'), ('hesitant', 'is_hesitant'),
    ('registered_no_order', 'is_registered_no_order'), ('geographic', 'is_geographic'),
    ('loyal', 'is_loyal'), ('one_time_buyers', 'is_one_time_buyer'),
    ('coupon_lovers', 'is_coupon_lover'), ('cart_abandoners', 'is_cart_abandoner'),
] %}

{% for segment_name, flag in segments %}
select '{{ segment_name }}' as segment, members.customer_id
from {{ ref(segment_name) }} as members
left join {{ ref('customer_profile') }} as profiles
    on members.customer_id = profiles.customer_id
where profiles.customer_id is null or not profiles.{{ flag }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
