{#
    The graph node of seed `seed_name` of this project: its CSV file is
    node.root_path ~ '/' ~ node.original_file_path. For checks that read a seed's file
    before the seeds are loaded (on-run-start of a fresh build).
#}
{% macro seed_file_node(seed_name) %}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'seed' and node.name == seed_name
            and node.package_name == project_name -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("seed " ~ seed_name ~ " not found in the project") }}
{% endmacro %}
