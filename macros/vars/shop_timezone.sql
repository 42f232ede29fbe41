{#
    var shop_timezone, validated: the IANA name of the shop's time zone (default UTC).
    Zone-less raw timestamps, a zone-less as_of, rate dates and every calendar day are in
    this zone; storage stays UTC. Any name of the IANA database (pytz's list, the one
    DuckDB's ICU and Spark's Java also know) is accepted; anything else is one clear error.
#}
{% macro shop_timezone() %}
    {%- set value = var('shop_timezone', 'UTC') -%}
    {%- set text = (value | string | trim) if value is not none else '' -%}
    {%- if text not in modules.pytz.all_timezones_set
        or not modules.re.fullmatch('[A-Za-z0-9_+/-]+', text) -%}
        {{ exceptions.raise_compiler_error(
            "var shop_timezone must be an IANA time zone name like America/Sao_Paulo or "
            ~ "UTC, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
