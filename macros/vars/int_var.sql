{# An integer var (kind `integer` in var_rules()) as a whole number, checked. #}
{% macro int_var(name) %}
    {%- if var_rules()[name].kind != 'integer' -%}
        {{ exceptions.raise_compiler_error("int_var('" ~ name ~ "'): var " ~ name
            ~ " is not an integer var in var_rules()") }}
    {%- endif -%}
    {{ return(checked_var(name)) }}
{% endmacro %}
