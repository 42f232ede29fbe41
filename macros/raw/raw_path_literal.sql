{#
    A file path as a SQL string literal, escaped for the engine: DuckDB doubles a quote;
    Spark SQL escapes quotes and backslashes with a backslash. Every raw path reaches SQL
    through here (var raw_path is the user's text).
#}
{% macro raw_path_literal(path) %}
    {{ return(adapter.dispatch('raw_path_literal', 'segmentation')(path)) }}
{% endmacro %}

{% macro default__raw_path_literal(path) %}
    {{ return("'" ~ path | replace("'", "''") ~ "'") }}
{% endmacro %}

{% macro spark__raw_path_literal(path) %}
    {{ return("'" ~ path | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") }}
{% endmacro %}
