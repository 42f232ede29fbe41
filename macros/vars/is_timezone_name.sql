{#
    True when `text` is a name of the IANA time zone database (pytz's list, the one
    DuckDB's ICU and Spark's Java also know) spelled only with letters, digits, _ + / -
    (so it can be quoted into SQL as it is). Abbreviations (BRT) and offsets (-03:00) are
    not zones.
#}
{% macro is_timezone_name(text) %}
    {{ return(text in modules.pytz.all_timezones_set
        and modules.re.fullmatch('[A-Za-z0-9_+/-]+', text) is not none) }}
{% endmacro %}
