{# Levenshtein distance between two strings: insertions, deletions, substitutions. #}
{% macro edit_distance(left, right) %}
    {%- set ns = namespace(previous=range(right | length + 1) | list) -%}
    {%- for i in range(1, left | length + 1) -%}
        {%- set current = [i] -%}
        {%- for j in range(1, right | length + 1) -%}
            {%- do current.append([
                ns.previous[j] + 1,
                current[j - 1] + 1,
                ns.previous[j - 1] + (0 if left[i - 1] == right[j - 1] else 1),
            ] | min) -%}
        {%- endfor -%}
        {%- set ns.previous = current -%}
    {%- endfor -%}
    {{ return(ns.previous[-1]) }}
{% endmacro %}
