{# The existing relation of the project's model `model_name`, or none (not built yet). #}
{% macro existing_model_relation(model_name) %}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- if node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema,
                                   identifier=node.alias)) }}
{% endmacro %}
