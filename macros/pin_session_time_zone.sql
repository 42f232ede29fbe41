{#
    Spark reads zone-less text and takes dates of timestamps in its session time zone
    (spark.sql.session.timeZone). Every instant here is stored in UTC and the shop's zone
    (var shop_timezone) is applied explicitly (local_to_utc, utc_to_local), so the session
    is pinned to UTC at the start of the run and before every model: a cluster or profile
    with another session zone gives the same answer. DuckDB's timestamps carry no session
    zone: nothing to do there.
#}
{% macro pin_session_time_zone() %}
    {%- if target.type == 'spark' -%}
        {{ return("set time zone 'UTC'") }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
