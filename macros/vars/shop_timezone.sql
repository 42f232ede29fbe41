{#
    var shop_timezone, checked (kind `timezone` in var_rules()): the IANA name of the
    shop's time zone (default UTC). Zone-less raw timestamps, a zone-less as_of, rate dates
    and every calendar day are in this zone; storage stays UTC.

    A unit test's fixtures are written for a zone: UTC unless the test overrides
    shop_timezone itself. So inside a unit test the zone comes from the test's own
    overrides, never from the command line: a shop that builds with
    `--vars '{shop_timezone: America/Sao_Paulo}'` still passes every unit test.
#}
{% macro shop_timezone() %}
    {%- if model is defined and model is mapping and model.get('resource_type') == 'unit_test' -%}
        {%- set overrides = (model.get('overrides') or {}).get('vars') or {} -%}
        {%- set text = overrides.get('shop_timezone', 'UTC') | string | trim -%}
        {%- if not is_timezone_name(text) -%}
            {{ exceptions.raise_compiler_error(
                "unit test " ~ model.get('name') ~ ": its override of var shop_timezone must "
                ~ "be an IANA time zone name like America/Sao_Paulo or UTC, got '" ~ text ~ "'") }}
        {%- endif -%}
        {{ return(text) }}
    {%- endif -%}
    {{ return(checked_var('shop_timezone')) }}
{% endmacro %}
