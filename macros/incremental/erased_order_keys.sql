{#
    The keys of the erased orders, as a query of one column: the erased rows of
    base_shop__orders hold sha256_hex of their order_id (current_versions). An order line
    is erased when the hash of its order_id is among them (erasure_condition, and
    keyless_erasure_condition for the stored lines without an id).
#}
{% macro erased_order_keys() -%}
    select erased_orders.order_id from {{ ref('base_shop__orders') }} as erased_orders
    where erased_orders.is_erased and erased_orders.order_id is not null
{%- endmacro %}
