{#
    True for a row (`relation_alias`) of `table_name` that belongs to an erased customer
    (docs/data-path.md "Erasure on request"): a customer row or an order, session or cart naming
    the customer (base_shop__erasures), or an order line of an erased order (its order
    row in base_shop__orders is erased). Products belong to no customer.
#}
{% macro erasure_condition(table_name, relation_alias) -%}
    {%- set spec = raw_contract()[table_name] -%}
    {%- if spec.customer is not none -%}
    {{ relation_alias }}.{{ spec.customer }} in (
        select erasures.customer_id from {{ ref('base_shop__erasures') }} as erasures
    )
    {%- elif table_name == 'order_items' -%}
    {{ relation_alias }}.order_id in (
        select erased_orders.order_id from {{ ref('base_shop__orders') }} as erased_orders
        where erased_orders.is_erased
    )
    {%- else -%}
    false
    {%- endif -%}
{%- endmacro %}
