{#
    A decimal var as an exact fraction {'numerator': n, 'denominator': d} (d a power of
    ten), so that rules compare integers instead of rounded decimals: `5` -> 5/1,
    `2.5` -> 25/10, `1.0` -> 10/10.
#}
{% macro fraction_var(name, minimum=none, maximum=none) %}
    {%- set text = var(name) | string | trim -%}
    {%- set match = modules.re.fullmatch('([0-9]+)(?:[.]([0-9]+))?', text) -%}
    {%- if match is none -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a non-negative decimal number, got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- set decimals = match.group(2) or '' -%}
    {%- set numerator = (match.group(1) ~ decimals) | int -%}
    {%- set denominator = 10 ** (decimals | length) -%}
    {%- set value = numerator / denominator -%}
    {%- if (minimum is not none and value < minimum) or (maximum is not none and value > maximum) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be between " ~ minimum ~ " and " ~ maximum ~ ", got " ~ text) }}
    {%- endif -%}
    {{ return({'numerator': numerator, 'denominator': denominator}) }}
{% endmacro %}
