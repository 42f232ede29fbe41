{#
    The settings that decide how a raw row is read and checked, as one text
    (raw_mode, shop_timezone, min_valid_date, reporting_currency). The ledger
    stg_shop__raw_sources keeps the text of the run that loaded its sources; a run whose
    text differs reads everything again (a stored row was parsed under other settings).
    The build clock is not in it (a row that was out_of_range because of a near-future
    clock error is read again only by a full refresh: docs/data-path.md).
#}
{% macro raw_parse_context() %}
    {{ return(raw_mode() ~ '|' ~ var('shop_timezone') ~ '|' ~ var('min_valid_date') ~ '|'
        ~ var('reporting_currency')) }}
{% endmacro %}
