{#
    Pre-hook of the staging base tables base_shop__<t>: before the run's rows are
    inserted, the stored rows that the run replaces and that delete+insert on the id
    cannot reach go:
      - a run that reads everything (read_plan full: no usable earlier load): every row;
      - else the rows without an id (`key` null: all quarantined or erased)
        of the sources read again or gone (read_plan replaced).
    The rows with an id are replaced by delete+insert on the id (the model selects every
    row of each id it touches).
#}
{% macro delete_replaced_rows(table_name, key) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set plan = read_plan(table_name) -%}
    {%- if plan.full -%}
        {{ return('delete from ' ~ this) }}
    {%- endif -%}
    {%- if not plan.replaced -%}
        {{ return('') }}
    {%- endif -%}
    {{ return('delete from ' ~ this ~ ' where ' ~ key ~ ' is null and _source in '
        ~ sql_list(plan.replaced)) }}
{% endmacro %}
