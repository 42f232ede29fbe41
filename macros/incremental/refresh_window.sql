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
    The condition on a raw row (`raw_alias`) of orders, sessions or carts that puts its id
    in the refresh window of an incremental run (base_shop__<table_name>_keys reads it once
    per run; order lines follow their orders there).
#}
{% macro raw_window_condition(table_name, raw_alias) %}
    {%- set spec = event_tables()[table_name] -%}
    {%- set cutoff = refresh_cutoff_day(table_name) -%}
    {%- set condition -%}
        ({{ raw_time_may_be_recent(raw_alias ~ '.' ~ spec.event, cutoff) }}
        {%- if spec.version is not none %}
        or {{ raw_time_may_be_recent(raw_alias ~ '.' ~ spec.version, cutoff, required=false) }}
        {%- endif %})
    {%- endset -%}
    {{ return(condition) }}
{% endmacro %}

{#
    True for a raw timestamp text that may parse to a time on or after `cutoff_day`: a
    superset of the rows of the window, which is all that is needed. Works on the raw text
    as it is (no trim, no parse: this runs on every raw row): a text that starts with a
    date `YYYY-MM-DD` is in when it sorts at or after the cutoff minus five days (a zone
    offset moves the UTC day by at most that); any other text (blank, padded, garbage:
    rows the parser may reject, which must be quarantined when new) is in too.
    `required`: a null counts as in (a missing required value is quarantined).
#}
{% macro raw_time_may_be_recent(raw_column, cutoff_day, required=true) -%}
    {%- set margin = (modules.datetime.datetime.strptime(cutoff_day, '%Y-%m-%d')
        - modules.datetime.timedelta(days=5)).strftime('%Y-%m-%d')
        if cutoff_day != '0000-00-00' else cutoff_day -%}
    (
        {% if required %}{{ raw_column }} is null or {% endif %}{{ raw_column }} >= '{{ margin }}'
        or not {{ starts_with_iso_date(raw_column) }}
    )
{%- endmacro %}

{# True when the text starts with `YYYY-MM-DD` (digits and dashes). #}
{% macro starts_with_iso_date(expression) %}
    {{ return(adapter.dispatch('starts_with_iso_date', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__starts_with_iso_date(expression) -%}
    {{ regex_matches('substr(' ~ expression ~ ', 1, 10)', '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
{%- endmacro %}

{# DuckDB: a glob is about twice as fast as a regex match here. #}
{% macro duckdb__starts_with_iso_date(expression) -%}
    ({{ expression }} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*')
{%- endmacro %}

{#
    Pre-hook of quarantined_rows in an incremental run: deletes the rows that this run
    reads again and re-appends if still rejected: all rows of a table read in full
    (customers, products), and of an event table the rows of the ids in its
    base_shop__<t>_keys and the rows without an id.
#}
{% macro delete_quarantine_rows_read_again() %}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- for table_name in raw_contract() -%}
        {%- if reads_raw_window(table_name) -%}
            {%- do conditions.append(
                "(source_table = '" ~ table_name ~ "' and (record_key is null or record_key in ("
                ~ "select read_again.record_key from " ~ ref('base_shop__' ~ table_name ~ '_keys')
                ~ " as read_again)))") -%}
        {%- else -%}
            {%- do conditions.append("source_table = '" ~ table_name ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('delete from ' ~ this ~ ' where ' ~ conditions | join('\n    or ')) }}
{% endmacro %}

{# When this invocation loaded the rows (the batch marker of the incremental models). #}
{% macro loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
