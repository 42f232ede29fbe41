{#
    Relation names are part of the interface (docs/segments.md): a model configured with
    schema `segments` lands in schema `segments`, not `<target schema>_segments`.
    Models without a custom schema land in the target's schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
