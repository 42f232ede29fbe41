{#
    The relation a data test reads (dbt's get_where_subquery, overridden for this project).
    Besides dbt's `where` config, a test with `meta: {latest_load_only: true}` reads only
    the rows of the latest load: `_loaded_at` = its maximum in the relation. A full build
    loads every row at once, so it tests them all; an incremental run tests the rows it
    (re)loaded, which delete+insert on the id keeps apart from the older ones, instead of
    tens of millions of rows again. The stg_shop__ event views use it (_shop__models.yml).
    `latest_load_only: <model>` takes the latest load from that model instead: a view whose
    `_loaded_at` is its source's (int_counted_purchases: stg_shop__orders), where the
    maximum over the view itself would compute every row of the view to find it.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set latest_load_only = (config.get('meta') or {}).get('latest_load_only', false) -%}
    {%- if latest_load_only -%}
        {%- set loads = relation if latest_load_only is sameas true
            else existing_model_relation(latest_load_only) -%}
        {%- set latest_query -%}
            select max(latest_rows._loaded_at) from {{ loads }} as latest_rows
        {%- endset -%}
        {#- a literal, read when the test runs: an engine filters the scan on it, where it
            compares with a subquery only after computing every row of a view -#}
        {%- set latest = run_query(latest_query).columns[0].values()[0] if execute else none -%}
        {%- set latest_load -%}
            _loaded_at = {{ "cast('" ~ latest ~ "' as " ~ dbt.type_timestamp() ~ ")"
                if latest is not none else '(' ~ latest_query ~ ')' }}
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
