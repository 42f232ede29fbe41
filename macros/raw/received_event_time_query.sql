{#
    The shop sources' loaded_at_query (_shop__sources.yml): the latest event time the
    warehouse has received of raw table `table_name` (its contract event column:
    registered_at, ordered_at, started_at, created_at) that is not in the future (a clock
    error such as 2099 is left out; "now" is when the invocation started, in UTC, as the
    build's clock).
    It reads the built base table base_shop__<t>, which holds every raw row read so far,
    one row per raw row, with the event time parsed as staging reads it (a zoned timestamp
    is its UTC instant; an unreadable value is null and ignored here: staging quarantines
    it). So `dbt source freshness` scans one column of a built table and reads no raw
    file: the on-run-start hook prepare_raw_inputs prepares nothing for it. Rows of an
    erased customer keep no event time (scrubbed) and do not count.
    Portable (a max and a comparison; the relation is found like the hook finds it).
#}
{% macro received_event_time_query(table_name) %}
    {%- set event_column = raw_contract()[table_name].event -%}
    {%- set received = existing_model_relation('base_shop__' ~ table_name) -%}
    {%- if received is none -%}
        {{ exceptions.raise_compiler_error(
            "Source freshness reads what the warehouse received (base_shop__" ~ table_name
            ~ "), which is not built in this target: run dbt build first (same --vars).") }}
    {%- endif -%}
    select max(received.{{ event_column }})
    from {{ received }} as received
    where received.{{ event_column }} <= {{ build_clock() }}
{% endmacro %}
