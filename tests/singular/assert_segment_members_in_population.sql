-- Nobody outside the population is in a segment: every segment member is a row of
-- customer_profile with that segment's flag set. Rows returned are failures.
{%- set segments = segment_flags() %}

{% for segment_name, flag in segments %}
select '{{ segment_name }}' as segment, members.customer_id
from {{ ref(segment_name) }} as members
left join {{ ref('customer_profile') }} as profiles
    on members.customer_id = profiles.customer_id
where profiles.customer_id is null or not profiles.{{ flag }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
