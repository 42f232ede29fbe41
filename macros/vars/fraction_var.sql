{#
    A decimal var (kind `decimal` in var_rules()) as an exact fraction
    {'numerator': n, 'denominator': d} (d a power of ten), checked against its bounds, so
    that rules compare integers instead of rounded decimals: `5` -> 5/1, `2.5` -> 25/10,
    `1.0` -> 10/10.
#}
{% macro fraction_var(name) %}
    {%- if var_rules()[name].kind != 'decimal' -%}
        {{ exceptions.raise_compiler_error("fraction_var('" ~ name ~ "'): var " ~ name
            ~ " is not a decimal var in var_rules()") }}
    {%- endif -%}
    {%- set text = checked_var(name) -%}
    {%- set whole, _, decimals = text.partition('.') -%}
    {{ return({'numerator': (whole ~ decimals) | int, 'denominator': 10 ** (decimals | length)}) }}
{% endmacro %}
