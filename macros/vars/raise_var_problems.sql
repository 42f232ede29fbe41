{# Fails with every problem of the vars (var_problems), one line each, if there is any. #}
{% macro raise_var_problems() %}
    {%- set problems = var_problems() -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(problems | join('\n')) }}
    {%- endif -%}
{% endmacro %}
