{#
    var as_of as a SQL timestamp expression in UTC, or none when it is not set. Accepts
    the contract's timestamp forms (timestamp_var_parts); a bare date is midnight at its
    start; a zone is converted to UTC.
#}
{% macro as_of_literal() %}
    {%- set text = checked_var('as_of') -%}
    {%- if text is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set parts = timestamp_var_parts(text) -%}
    {%- set parsed = "cast('" ~ parts.date ~ ' ' ~ parts.time ~ "' as "
        ~ dbt.type_timestamp() ~ ')' -%}
    {%- if parts.offset_minutes != 0 -%}
        {%- set parsed = timestamp_add('minute', -parts.offset_minutes, parsed) -%}
    {%- endif -%}
    {{ return(parsed) }}
{% endmacro %}
