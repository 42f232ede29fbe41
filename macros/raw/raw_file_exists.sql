{# True when `path` names an existing file, checked by the warehouse engine itself. #}
{% macro raw_file_exists(path) %}
    {{ return(adapter.dispatch('raw_file_exists', 'segmentation')(path)) }}
{% endmacro %}

{% macro default__raw_file_exists(path) %}
    {%- set result = run_query("select count(*) from glob('" ~ path | replace("'", "''") ~ "')") -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}
