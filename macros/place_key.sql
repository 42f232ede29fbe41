{#
    The grouping key of a place name (docs/vars.md "Places"): lower case, accents folded
    (accent_folded, the same table on every engine), and every mark, punctuation,
    symbol, separator, control character and space removed, so "São Paulo", "sao paulo",
    " SAO PAULO " and "Sao-Paulo" share the key "saopaulo". Letters of other scripts
    stay (تهران keeps its key). Null when nothing is left.
#}
{% macro place_key(expression) %}
    {{ return(adapter.dispatch('place_key', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__place_key(expression) -%}
    nullif(regexp_replace({{ accent_folded(expression) }},
        '[\p{M}\p{P}\p{S}\p{Z}\p{C}\s]', '', 'g'), '')
{%- endmacro %}

{# Spark string literals read backslash escapes: the pattern's backslashes are doubled. #}
{% macro spark__place_key(expression) -%}
    nullif(regexp_replace({{ accent_folded(expression) }},
        '[\\p{M}\\p{P}\\p{S}\\p{Z}\\p{C}\\s]', ''), '')
{%- endmacro %}
