{#
    Checks the shop's vars (issue 15) before anything is built: shop_timezone. Called by
    validate_vars (the on-run-start hook), so a bad value fails at once naming the var.
#}
{% macro validate_shop_vars() %}
    {%- do shop_timezone() -%}
    {{ return('') }}
{% endmacro %}
