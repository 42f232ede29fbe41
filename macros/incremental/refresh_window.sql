{#
    Incremental refresh of the large event tables (orders, order lines, sessions, carts).

    The base models base_shop__* are views (parsing is cheap next to writing tens of
    millions of rows); the clean models stg_shop__{orders,order_items,sessions,carts} are
    dbt incremental models on DuckDB (delete+insert on the id) and plain tables on Spark
    (parquet, no Delta). quarantined_rows keeps the rows of the ids it did not read.

    Which raw rows a run reads (the base views and base_shop__<t>_keys are re-created by
    every run):
      - a full build (no clean table yet, --full-refresh, or Spark): every raw row;
      - an incremental run: every row of each id that has a raw row whose version time
        (updated_at, else the event time) may fall on or after the cutoff day (the latest
        version day among the clean rows minus var incremental_lookback_days), and every
        row without an id (few: they are all quarantined). Order lines: every row of the
        line ids of the orders loaded by this run and of the orders not among the clean
        orders (orphans, and lines that came before their order).
    Since every row of an id is read, its clean row is decided again over all its
    versions (re-exported rows replace it whatever their event time; `_versions` stays
    exact) and its quarantined rows are replaced. A row whose version time is older than
    the window when it first arrives is not read: the reconciliation test (raw = clean +
    quarantined + merged) fails, and `dbt build --full-refresh` reads everything again.
#}

{# 'incremental' on DuckDB, 'table' elsewhere (Spark here has parquet tables only). #}
{% macro event_table_materialization() %}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}

{# The event tables, their event-time column and their version column (or none). #}
{% macro event_tables() %}
    {{ return({
        'orders': {'event': 'ordered_at', 'version': 'updated_at'},
        'order_items': {'event': none, 'version': none},
        'sessions': {'event': 'started_at', 'version': none},
        'carts': {'event': 'created_at', 'version': 'updated_at'},
    }) }}
{% endmacro %}

{# The existing clean relation stg_shop__<table_name>, or none. #}
{% macro existing_clean_relation(table_name) %}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.stg_shop__' ~ table_name) -%}
    {%- if node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema,
                                   identifier=node.alias)) }}
{% endmacro %}

{# True when this run reads only a window of table_name's raw rows (see above). #}
{% macro reads_raw_window(table_name) %}
    {%- if not execute or target.type != 'duckdb' or flags.FULL_REFRESH
        or table_name not in event_tables() -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(existing_clean_relation(table_name) is not none) }}
{% endmacro %}

{# The cutoff day ('YYYY-MM-DD') of the window, from the clean rows' latest version day. #}
{% macro refresh_cutoff_day(table_name) %}
    {%- set spec = event_tables()[table_name] -%}
    {%- set version_time = spec.event if spec.version is none
        else 'coalesce(' ~ spec.version ~ ', ' ~ spec.event ~ ')' -%}
    {%- set latest = run_query(
        "select cast(max(cast(" ~ version_time ~ " as date)) as varchar) from "
        ~ existing_clean_relation(table_name)).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return('0000-00-00') }}
    {%- endif -%}
    {%- set day = modules.datetime.datetime.strptime(latest, '%Y-%m-%d') -%}
    {%- set cutoff = day - modules.datetime.timedelta(days=int_var('incremental_lookback_days')) -%}
    {{ return(cutoff.strftime('%Y-%m-%d')) }}
{% endmacro %}

{#
    The condition on a raw row (`raw_alias`) that puts its id in the refresh window of an
    incremental run (base_shop__<table_name>_keys reads it once per run).
#}
{% macro raw_window_condition(table_name, raw_alias) %}
    {%- set spec = event_tables()[table_name] -%}
    {%- if table_name == 'order_items' -%}
        {%- set clean_orders = existing_clean_relation('orders') -%}
        {%- set order_id = 'coalesce(' ~ clean_text(raw_alias ~ '.order_id') ~ ", '')" -%}
        {%- set condition -%}
            ({{ order_id }} in (
                select reloaded.order_id from {{ clean_orders }} as reloaded
                where reloaded._loaded_at = {{ loaded_at() }}
            )
            or {{ order_id }} not in (
                select known.order_id from {{ clean_orders }} as known
            ))
        {%- endset -%}
    {%- else -%}
        {%- set cutoff = refresh_cutoff_day(table_name) -%}
        {%- set condition -%}
            ({{ raw_time_may_be_recent(raw_alias ~ '.' ~ spec.event, cutoff) }}
            {%- if spec.version is not none %}
            or {{ raw_time_may_be_recent(raw_alias ~ '.' ~ spec.version, cutoff, required=false) }}
            {%- endif %})
        {%- endset -%}
    {%- endif -%}
    {{ return(condition) }}
{% endmacro %}

{#
    True for a raw timestamp text that may parse to a time on or after `cutoff_day`: not
    the canonical `YYYY-MM-DD...` (parsed properly downstream), or a date no more than five
    days before the cutoff (a zone offset moves the UTC day by at most that). A superset of
    the rows of the window, which is all that is needed. `required`: null counts as maybe.
#}
{% macro raw_time_may_be_recent(raw_column, cutoff_day, required=true) -%}
    {%- set text = clean_text(raw_column) -%}
    {%- set margin = (modules.datetime.datetime.strptime(cutoff_day, '%Y-%m-%d')
        - modules.datetime.timedelta(days=5)).strftime('%Y-%m-%d')
        if cutoff_day != '0000-00-00' else cutoff_day -%}
    (
        {% if required %}{{ text }} is null or {% endif %}
        ({{ text }} is not null and (
            not {{ regex_matches('substr(' ~ text ~ ', 1, 10)', '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
            or substr({{ text }}, 1, 10) >= '{{ margin }}'
        ))
    )
{%- endmacro %}

{# When this invocation loaded the rows (the batch marker of the incremental models). #}
{% macro loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
