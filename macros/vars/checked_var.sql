{#
    The value of var `name` once it is checked against its rule in var_rules(): the only
    way a var reaches SQL. A bad value fails at once, listing every bad var of the
    invocation (raise_var_problems), wherever it is read first: in a model being parsed or
    compiled, in a hook, in `dbt compile` / `dbt show` (which run no on-run-start hook).
    Returned normalized: integer -> int, currency -> upper case, timestamp/date -> trimmed
    text, null -> none, anything else -> text. Quote text where it is used.
#}
{% macro checked_var(name) %}
    {%- if name not in var_rules() -%}
        {{ exceptions.raise_compiler_error(
            "checked_var('" ~ name ~ "'): var " ~ name ~ " has no rule in var_rules() "
            ~ "(macros/vars/var_rules.sql)") }}
    {%- endif -%}
    {%- if var_problem(name) is not none -%}
        {%- do raise_var_problems() -%}
    {%- endif -%}
    {%- set value = var(name) -%}
    {%- set kind = var_rules()[name].kind -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- elif kind == 'integer' -%}
        {{ return(value | string | trim | int) }}
    {%- elif kind == 'currency' -%}
        {{ return(value | string | trim | upper) }}
    {%- else -%}
        {{ return(value | string | trim) }}
    {%- endif -%}
{% endmacro %}
