{#
    `expression` lower-cased with its accents folded (the pairs and the translate table of
    accent_folding, the same on every engine): "São" -> "sao". place_key's first step.
#}
{% macro accent_folded(expression) -%}
    {%- set folding = accent_folding() -%}
    {%- set folded = 'lower(' ~ expression ~ ')' -%}
    {%- for pair in folding.pairs -%}
        {%- set folded = "replace(" ~ folded ~ ", '" ~ pair[0] ~ "', '" ~ pair[1] ~ "')" -%}
    {%- endfor -%}
    translate({{ folded }}, '{{ folding["from"] }}', '{{ folding["to"] }}')
{%- endmacro %}
