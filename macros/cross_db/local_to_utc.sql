{#
    A wall-clock timestamp of the shop's zone (var shop_timezone) as the UTC instant it
    denotes (a timestamp without zone, UTC). Identity when the shop is on UTC.
    Local times that a DST change skips are moved forward by the gap (02:30 on a spring-
    forward night is 03:30 local); local times that occur twice take the first (the
    earlier UTC instant). Spark's to_utc_timestamp does exactly that; DuckDB's ICU takes
    the second, so DuckDB checks whether the offset in force six hours earlier also gives
    this wall-clock time and then takes that earlier instant. No session time zone is read.
#}
{% macro local_to_utc(expression) %}
    {%- if shop_timezone() == 'UTC' -%}
        {{ return(expression) }}
    {%- endif -%}
    {{ return(adapter.dispatch('local_to_utc', 'segmentation')(expression, shop_timezone())) }}
{% endmacro %}

{% macro default__local_to_utc(expression, zone) -%}
    {%- set later = "timezone('UTC', timezone('" ~ zone ~ "', " ~ expression ~ "))" -%}
    {%- set before = "(" ~ later ~ " - interval 6 hour)" -%}
    {%- set earlier = "(" ~ expression ~ " - (timezone('" ~ zone ~ "', timezone('UTC', "
        ~ before ~ ")) - " ~ before ~ "))" -%}
    case
        when {{ earlier }} < {{ later }}
            and timezone('{{ zone }}', timezone('UTC', {{ earlier }})) = {{ expression }}
            then {{ earlier }}
        else {{ later }}
    end
{%- endmacro %}

{% macro spark__local_to_utc(expression, zone) -%}
    to_utc_timestamp({{ expression }}, '{{ zone }}')
{%- endmacro %}
