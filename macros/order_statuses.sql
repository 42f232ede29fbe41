{#
    Order statuses of docs/data-path.md, normalized (trimmed, lower case). Purchases count as
    orders in every metric; the others are valid but never counted; any other status
    is quarantined (invalid_value).
#}
{% macro order_statuses(kind) %}
    {%- set statuses = {
        'purchase': ['placed', 'paid', 'shipped', 'delivered', 'completed'],
        'not_purchase': ['cancelled', 'refunded', 'returned', 'failed'],
    } -%}
    {%- if kind == 'all' -%}
        {{ return(statuses.purchase + statuses.not_purchase) }}
    {%- endif -%}
    {{ return(statuses[kind]) }}
{% endmacro %}
