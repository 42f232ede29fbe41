{#
    Every problem of the vars of this invocation, one line each: each var against its rule
    (var_problem) and the rules that join two vars. Pure Jinja: no SQL runs here.
#}
{% macro var_problems() %}
    {%- set problems = [] -%}
    {%- for name in var_rules() -%}
        {%- set problem = var_problem(name) -%}
        {%- if problem is not none -%}
            {%- do problems.append(problem) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('raw_path') is not none and var('raw_schema') is not none -%}
        {%- do problems.append("var raw_schema and var raw_path are both set: set raw_path "
            ~ "(a directory of files) or raw_schema (a schema of tables), not both") -%}
    {%- endif -%}
    {{ return(problems) }}
{% endmacro %}
