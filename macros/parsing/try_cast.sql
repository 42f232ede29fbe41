{# Cast that yields null instead of failing when the value does not fit the type. #}
{% macro try_cast(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast', 'segmentation')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
