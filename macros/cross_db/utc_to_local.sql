{#
    A UTC instant (timestamp without zone) as the wall-clock time of the shop's zone (var
    shop_timezone). Identity when the shop is on UTC. No session time zone is read.
#}
{% macro utc_to_local(expression) %}
    {%- if shop_timezone() == 'UTC' -%}
        {{ return(expression) }}
    {%- endif -%}
    {{ return(adapter.dispatch('utc_to_local', 'segmentation')(expression, shop_timezone())) }}
{% endmacro %}

{% macro default__utc_to_local(expression, zone) -%}
    timezone('{{ zone }}', timezone('UTC', {{ expression }}))
{%- endmacro %}

{% macro spark__utc_to_local(expression, zone) -%}
    from_utc_timestamp({{ expression }}, '{{ zone }}')
{%- endmacro %}
