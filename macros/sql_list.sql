{# A list of strings as a SQL list of literals: ['a', 'b'] -> ('a', 'b'). #}
{% macro sql_list(values) -%}
    ({% for value in values %}'{{ value | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
