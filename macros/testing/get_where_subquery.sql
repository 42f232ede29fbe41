{#
    The relation a data test reads (dbt's get_where_subquery, overridden for this project).
    Besides dbt's `where` config, a test with `meta: {latest_load_only: true}` reads only
    the rows of the latest load: `_loaded_at` = its maximum in the relation. A full build
    loads every row at once, so it tests them all; an incremental run tests the rows it
    (re)loaded, which delete+insert on the id keeps apart from the older ones, instead of
    tens of millions of rows again. The stg_shop__ event views use it (_shop__models.yml).
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if (config.get('meta') or {}).get('latest_load_only', false) -%}
        {%- set latest_load -%}
            _loaded_at = (select max(latest_rows._loaded_at) from {{ relation }} as latest_rows)
        {%- endset -%}
        {%- set where = latest_load ~ (' and (' ~ where ~ ')' if where else '') -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
