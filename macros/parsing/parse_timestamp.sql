{#
    An ISO 8601 text as a UTC timestamp, exactly as raw-data.md reads it:
    `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds, optional
    zone `Z` or `±HH:MM` (converted to UTC); no zone means the shop's zone, var
    shop_timezone (local_to_utc; identity on UTC); a bare date is midnight there.
    Anything else, and impossible dates such as 2025-02-30, give null.
    `expression` must already be clean text (see clean_text).
#}
{% macro parse_timestamp(expression) %}
    {{ return(adapter.dispatch('parse_timestamp', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__parse_timestamp(expression) -%}
    {%- set local_part = '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?)?' -%}
    {%- set zone = '(Z|[+-][0-9]{2}:[0-9]{2})' -%}
    {%- set local_text = "replace(regexp_extract(" ~ expression ~ ", '^(" ~ local_part
        ~ ")', 1), 'T', ' ')" -%}
    {%- set zone_text = "regexp_extract(" ~ expression ~ ", '" ~ zone ~ "$', 1)" -%}
    {%- set offset_minutes -%}
        case
            when {{ zone_text }} in ('', 'Z') then 0
            else (case when substr({{ zone_text }}, 1, 1) = '-' then 1 else -1 end)
                * (cast(substr({{ zone_text }}, 2, 2) as {{ dbt.type_int() }}) * 60
                    + cast(substr({{ zone_text }}, 5, 2) as {{ dbt.type_int() }}))
        end
    {%- endset -%}
    case
        when {{ regex_matches(expression, '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?' ~ zone ~ '?)?') }}
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
    pattern, the zone is either a trailing `Z` or the last six characters `±HH:MM`
    (nothing else the pattern accepts has a sign six from the end followed by a colon
    three from the end), and the local part is what precedes it.
#}
{% macro duckdb__parse_timestamp(expression) -%}
    {%- set pattern = '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?)?' -%}
    {%- set has_offset = "(substr(" ~ expression ~ ", length(" ~ expression ~ ") - 5, 1) in ('+', '-') and substr("
        ~ expression ~ ", length(" ~ expression ~ ") - 2, 1) = ':')" -%}
    {%- set offset_minutes -%}
        (case when substr({{ expression }}, length({{ expression }}) - 5, 1) = '-' then 1 else -1 end)
            * (cast(substr({{ expression }}, length({{ expression }}) - 4, 2) as integer) * 60
                + cast(substr({{ expression }}, length({{ expression }}) - 1, 2) as integer))
    {%- endset -%}
    case
        -- the common spelling first: a glob and one cast (a regex full match costs more)
        when {{ expression }} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
            then {{ local_to_utc('try_cast(' ~ expression ~ ' as timestamp)') }}
        when {{ regex_matches(expression, pattern) }}
            then case
                when {{ has_offset }}
                    then {{ timestamp_add('minute', offset_minutes,
                        "try_cast(replace(left(" ~ expression ~ ", length(" ~ expression
                        ~ ") - 6), 'T', ' ') as timestamp)") }}
                when right({{ expression }}, 1) = 'Z'
                    then try_cast(replace(left({{ expression }}, length({{ expression }}) - 1), 'T', ' ') as timestamp)
                else {{ local_to_utc("try_cast(replace(" ~ expression ~ ", 'T', ' ') as timestamp)") }}
            end
    end
{%- endmacro %}
