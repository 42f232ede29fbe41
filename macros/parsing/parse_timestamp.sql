{#
    An ISO 8601 text as a UTC timestamp, exactly as raw-data.md reads it:
    `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds, optional
    zone `Z` or `±HH:MM` (converted to UTC; none means UTC); a bare date is midnight UTC.
    Anything else, and impossible dates such as 2025-02-30, give null.
    `expression` must already be clean text (see clean_text).
#}
{% macro parse_timestamp(expression) -%}
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
            then {{ timestamp_add('minute', offset_minutes,
                try_cast(local_text, dbt.type_timestamp())) }}
    end
{%- endmacro %}
