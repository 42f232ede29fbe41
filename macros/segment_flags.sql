{#
    The segments of docs/segments.md, in their documented order: (relation name in schema
    segments, boolean column of int_customers_segmented / customer_profile). Every model
    or test that loops over the segments takes the list from here.
#}
{% macro segment_flags() %}
    {{ return([
        ('vip', 'is_vip'),
        ('hesitant', 'is_hesitant'),
        ('registered_no_order', 'is_registered_no_order'),
        ('geographic', 'is_geographic'),
        ('loyal', 'is_loyal'),
        ('one_time_buyers', 'is_one_time_buyer'),
        ('coupon_lovers', 'is_coupon_lover'),
        ('cart_abandoners', 'is_cart_abandoner'),
        ('at_risk_high_value', 'is_at_risk_high_value'),
    ]) }}
{% endmacro %}
