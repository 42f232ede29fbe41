{#
    The build's own clock (UTC, when this dbt invocation started). Raw timestamps later
    than this plus one day are clock errors (reason out_of_range).
#}
{% macro build_clock() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
