{#
    var shop_timezone, validated: the IANA name of the shop's time zone (default UTC).
    Zone-less raw timestamps, a zone-less as_of, rate dates and every calendar day are in
    this zone; storage stays UTC. Any name of the IANA database (pytz's list, the one
    DuckDB's ICU and Spark's Java also know) is accepted; anything else is one clear error.

    A unit test's fixtures are written for a zone: UTC unless the test overrides
    shop_timezone itself. So inside a unit test the zone comes from the test's own
    overrides, never from the command line: a shop that builds with
    `--vars '{shop_timezone: America/Sao_Paulo}'` still passes every unit test.
#}
{% macro shop_timezone() %}
    {%- if model is defined and model is mapping and model.get('resource_type') == 'unit_test' -%}
        {%- set overrides = (model.get('overrides') or {}).get('vars') or {} -%}
        {%- set value = overrides.get('shop_timezone', 'UTC') -%}
    {%- else -%}
        {%- set value = var('shop_timezone', 'UTC') -%}
    {%- endif -%}
    {%- set text = (value | string | trim) if value is not none else '' -%}
    {%- if text not in modules.pytz.all_timezones_set
        or not modules.re.fullmatch('[A-Za-z0-9_+/-]+', text) -%}
        {{ exceptions.raise_compiler_error(
            "var shop_timezone must be an IANA time zone name like America/Sao_Paulo or "
            ~ "UTC, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
