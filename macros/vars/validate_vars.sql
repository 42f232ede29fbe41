{#
    on-run-start hook, the first one: checks every var before any SQL that uses a var runs
    and before anything is built. Fails with one line per bad var (all of them at once),
    warns about a --vars name that dbt_project.yml does not declare (a typo), and checks
    that var reporting_currency has a rate in the currency_rates seed (its CSV file, read
    through the engine: on a fresh build the seed table does not exist yet).
    The models read vars through checked_var() and its typed forms too, so the same
    checks hold where no hook runs (dbt compile, dbt show).
#}
{% macro validate_vars() %}
    {#- a block named after a package (dbt_project_evaluator) configures that package -#}
    {%- set declared = adapter.config.vars.vars.keys()
        | reject('in', [project_name, 'dbt_project_evaluator']) | list -%}
    {%- set rules = var_rules() -%}
    {%- set unruled = declared | reject('in', rules) | list -%}
    {%- set undeclared = rules | reject('in', declared) | list -%}
    {%- if unruled or undeclared -%}
        {{ exceptions.raise_compiler_error(
            "dbt_project.yml `vars:` and var_rules() (macros/vars/var_rules.sql) differ: "
            ~ "without a rule: " ~ (unruled | join(', ') or '-')
            ~ "; not declared: " ~ (undeclared | join(', ') or '-')) }}
    {%- endif -%}
    {%- if execute -%}
        {%- do warn_undeclared_vars(declared) -%}
    {%- endif -%}
    {%- do raise_var_problems() -%}
    {%- if execute -%}
        {%- do check_currency_rate() -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
