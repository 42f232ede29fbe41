{#
    Incremental refresh of the large event tables (orders, order lines, sessions, carts).

    On DuckDB the base models base_shop__{orders,order_items,sessions,carts} and their
    clean models stg_shop__* are dbt incremental models (strategy delete+insert); on Spark
    (parquet tables, no Delta) they stay plain tables, rebuilt in full.

    Base models: every raw row gets a refresh day `_refresh_day`, its version time
    (updated_at when it is readable and in range, else the event time) as 'YYYY-MM-DD'
    (see refresh_day below). An incremental run re-reads the raw rows whose
    refresh day is on or after the cutoff (the latest refresh day of a valid row in the
    table minus var incremental_lookback_days) or 'unparsed', and replaces those days
    wholesale (delete+insert on _refresh_day); order lines follow their order (replaced
    per order id when any version of the order was reloaded). So a re-exported row (later
    updated_at) lands in a recent day and its new version is read, and a row that arrives
    late is read when its version time is within the lookback window. A row older than
    that (or a row whose unknown customer arrives later) is only read by a full refresh
    (`dbt build --full-refresh`).
    Clean models: the ids of the base rows loaded since their last run (`_loaded_at`) are
    deduplicated again over all their versions and replaced (delete+insert on the id).
#}

{# 'incremental' on DuckDB, 'table' elsewhere (Spark here has parquet tables only). #}
{% macro event_table_materialization() %}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}

{# The cutoff day ('YYYY-MM-DD') of an incremental run of a base model, else none. #}
{% macro refresh_cutoff_day() %}
    {%- if not is_incremental() or not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set latest = run_query(
        "select max(_refresh_day) from " ~ this
        ~ " where reject_reason is null and _refresh_day <> 'unparsed'").columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return('0000-00-00') }}
    {%- endif -%}
    {%- set day = modules.datetime.datetime.strptime(latest, '%Y-%m-%d') -%}
    {%- set cutoff = day - modules.datetime.timedelta(days=int_var('incremental_lookback_days')) -%}
    {{ return(cutoff.strftime('%Y-%m-%d')) }}
{% endmacro %}

{#
    True for a raw timestamp text that may parse to a time on or after `cutoff_day`: not
    the canonical `YYYY-MM-DD...` (parsed properly downstream), or a date no more than five
    days before the cutoff (a zone offset moves the UTC day by at most that). A superset:
    the exact filter on _refresh_day follows the parse. `required`: null counts as maybe.
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

{#
    The refresh day of a row, a function of its raw values only: the UTC date of its
    version time when readable and in range, else of its event time when readable (in
    range or not), else the event text's leading `YYYY-MM-DD` when it has one, else
    'unparsed' (such rows are re-read by every run).
#}
{% macro refresh_day(event_parsed, version_in_range, event_text) -%}
    coalesce(
        cast(cast(
            {%- if version_in_range is not none %} coalesce({{ version_in_range }}, {{ event_parsed }})
            {%- else %} {{ event_parsed }}{% endif %} as date) as {{ dbt.type_string() }}),
        case
            when {{ regex_matches('substr(' ~ event_text ~ ', 1, 10)', '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
                then substr({{ event_text }}, 1, 10)
        end,
        'unparsed'
    )
{%- endmacro %}

{# When this invocation loaded the rows (the batch marker of the incremental models). #}
{% macro loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
