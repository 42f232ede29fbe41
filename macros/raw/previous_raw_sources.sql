{#
    The sources of the earlier loads that this run can build on, from the ledger
    stg_shop__raw_sources: {'full': true|false, 'sources': {table: {source: {'size',
    'modified', 'watermark'}}}}. `full` (read everything, keep nothing) when there is no
    ledger yet, on --full-refresh, when a staging base table is missing, or when the ledger
    was written under other reading settings (raw_parse_context).
#}
{% macro previous_raw_sources() %}
    {%- set nothing = {'full': true, 'sources': {}} -%}
    {%- if flags.FULL_REFRESH -%}
        {{ return(nothing) }}
    {%- endif -%}
    {%- set ledger = existing_model_relation('stg_shop__raw_sources') -%}
    {%- if ledger is none -%}
        {{ return(nothing) }}
    {%- endif -%}
    {%- for table_name in raw_contract() -%}
        {%- if existing_model_relation('base_shop__' ~ table_name) is none -%}
            {{ return(nothing) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set rows = run_query('select source_table, source_name, size_bytes, modified_at, watermark, '
        ~ 'parse_context from ' ~ ledger).rows -%}
    {%- set sources = {} -%}
    {%- for row in rows -%}
        {%- if row[5] != raw_parse_context() -%}
            {{ return(nothing) }}
        {%- endif -%}
        {%- do sources.setdefault(row[0], {}).update({row[1]: {
            'size': none if row[2] is none else row[2] | int, 'modified': row[3],
            'watermark': row[4]}}) -%}
    {%- endfor -%}
    {{ return({'full': false, 'sources': sources}) }}
{% endmacro %}
