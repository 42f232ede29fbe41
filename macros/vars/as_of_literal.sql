{#
    var as_of as a SQL timestamp (UTC), or none when it is not set. Accepts the contract's
    timestamp forms; without a zone it is in the shop's zone (var shop_timezone); a bare
    date is midnight at its start there. A clear error for anything else.
#}
{% macro as_of_literal() %}
    {%- set value = var('as_of') -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set match = modules.re.fullmatch(
        '([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]([0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.][0-9]{1,6})?))?(Z|[+-][0-9]{2}:[0-9]{2})?',
        text) -%}
    {%- if match is none -%}
        {{ exceptions.raise_compiler_error(
            "var as_of must be a timestamp like \"2025-07-01 00:00:00\" or a date like "
            ~ "\"2025-07-01\" (in var shop_timezone), got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- set literal = "'" ~ match.group(1) ~ ' ' ~ (match.group(2) or '00:00:00') ~ "'" -%}
    {%- set parsed = 'cast(' ~ literal ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}
    {%- set zone = match.group(3) -%}
    {%- if zone and zone != 'Z' -%}
        {%- set minutes = (zone[1:3] | int) * 60 + (zone[4:6] | int) -%}
        {%- set shift = -minutes if zone[0] == '+' else minutes -%}
        {%- set parsed = timestamp_add('minute', shift, parsed) -%}
    {%- elif not zone -%}
        {#- no zone: a wall-clock time of the shop's zone (var shop_timezone) -#}
        {%- set parsed = local_to_utc(parsed) -%}
    {%- endif -%}
    {{ return(parsed) }}
{% endmacro %}
