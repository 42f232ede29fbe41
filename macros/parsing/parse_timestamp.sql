{#
    An ISO 8601 text as a UTC timestamp, exactly as docs/data-path.md rule 2 reads it:
    `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds, optional
    zone `Z`, `±HH:MM`, `±HHMM` or `±HH` (converted to UTC); no zone means the shop's zone,
    var shop_timezone (local_to_utc; identity on UTC); a bare date is midnight there.
    Anything else, and impossible dates such as 2025-02-30, give null.
    `expression` must already be clean text (see clean_text).
#}
{% macro parse_timestamp(expression) %}
    {{ return(adapter.dispatch('parse_timestamp', 'segmentation')(expression)) }}
{% endmacro %}

{#- The whole text rule 2 accepts, as a regular expression (without anchors). -#}
{% macro timestamp_text_pattern() -%}
    [0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?
{%- endmacro %}

{#-
    The offset of a zone text (`+03:30`, `-0445`, `+02`; null or '' = none) in minutes to
    add to the local time to get UTC: the sign flipped, the hours, and the last two
    digits as minutes when there are more than the hours.
-#}
{% macro zone_offset_minutes(zone_text) -%}
    (case when substr({{ zone_text }}, 1, 1) = '-' then 1 else -1 end)
        * (cast(substr({{ zone_text }}, 2, 2) as {{ dbt.type_int() }}) * 60
            + case
                when length({{ zone_text }}) > 3
                    then cast(right({{ zone_text }}, 2) as {{ dbt.type_int() }})
                else 0
            end)
{%- endmacro %}

{% macro default__parse_timestamp(expression) -%}
    {%- set local_part = '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?)?' -%}
    {#- the zone follows the seconds (a bare date ends in `-DD`, which is no zone) -#}
    {%- set zone_text = "regexp_extract(" ~ expression
        ~ ", ':[0-9]{2}([.][0-9]{1,6})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$', 2)" -%}
    {%- set local_text = "replace(regexp_extract(" ~ expression ~ ", '^(" ~ local_part
        ~ ")', 1), 'T', ' ')" -%}
    {%- set offset_minutes -%}
        case
            when {{ zone_text }} in ('', 'Z') then 0
            else {{ zone_offset_minutes(zone_text) }}
        end
    {%- endset -%}
    case
        when {{ regex_matches(expression, timestamp_text_pattern()) }}
            then case
                when {{ zone_text }} = ''
                    then {{ local_to_utc(try_cast(local_text, dbt.type_timestamp())) }}
                else {{ timestamp_add('minute', offset_minutes,
                    try_cast(local_text, dbt.type_timestamp())) }}
            end
    end
{%- endmacro %}

{#
    The same reading on DuckDB without regexp_extract (five of them per value made the
    base models spend most of their time here): once the whole text has matched the
    pattern, the zone is what follows the seconds (character 20 on) and their fraction:
    that rest with its leading `.` and digits trimmed (a zone starts with `Z`, `+` or `-`).
    The local part is what precedes the zone.
#}
{% macro duckdb__parse_timestamp(expression) -%}
    {%- set zone_text = "ltrim(substr(" ~ expression ~ ", 20), '.0123456789')" -%}
    {%- set local_text = "replace(left(" ~ expression ~ ", length(" ~ expression
        ~ ") - length(" ~ zone_text ~ ")), 'T', ' ')" -%}
    case
        -- the common spelling first: a glob and one cast (a regex full match costs more)
        when {{ expression }} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
            then {{ local_to_utc('try_cast(' ~ expression ~ ' as timestamp)') }}
        when {{ regex_matches(expression, timestamp_text_pattern()) }}
            then case
                when {{ zone_text }} = ''
                    then {{ local_to_utc('try_cast(' ~ local_text ~ ' as timestamp)') }}
                when {{ zone_text }} = 'Z'
                    then try_cast({{ local_text }} as timestamp)
                else {{ timestamp_add('minute', zone_offset_minutes(zone_text),
                    "try_cast(" ~ local_text ~ " as timestamp)") }}
            end
    end
{%- endmacro %}
