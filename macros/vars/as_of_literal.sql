{#
    var as_of as a SQL timestamp expression in UTC, or none when it is not set. Accepts
    the contract's timestamp forms (timestamp_var_parts); a bare date is midnight at its
    start; a zone is converted to UTC; without a zone it is a wall-clock time of the
    shop's zone (var shop_timezone).
#}
{% macro as_of_literal() %}
    {%- set text = checked_var('as_of') -%}
    {%- if text is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set parts = timestamp_var_parts(text) -%}
    {%- set parsed = "cast('" ~ parts.date ~ ' ' ~ parts.time ~ "' as "
        ~ dbt.type_timestamp() ~ ')' -%}
    {%- if parts.has_zone -%}
        {%- if parts.offset_minutes != 0 -%}
            {%- set parsed = timestamp_add('minute', -parts.offset_minutes, parsed) -%}
        {%- endif -%}
    {%- else -%}
        {%- set parsed = local_to_utc(parsed) -%}
    {%- endif -%}
    {{ return(parsed) }}
{% endmacro %}
