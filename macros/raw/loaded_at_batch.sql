{#
    The batch of a `loaded_at` raw table that this run reads: the rows whose loaded-at
    column is past `watermark` (the previous batch's; none = every row) and at most its
    maximum now (read once, here: later rows wait for the next run, so that a row landing
    during the run is neither lost nor read twice). Returns the part's fields: source (the
    batch, named after its new watermark), watermark, batch_filter and action (`kept`
    when nothing is new).
#}
{% macro loaded_at_batch(relation, column, watermark) %}
    {%- set latest = run_query('select cast(max(' ~ column.sql ~ ') as '
        ~ dbt.type_string() ~ ') from ' ~ relation).columns[0].values()[0] -%}
    {%- if latest is none or latest == watermark -%}
        {{ return({'action': 'kept', 'source': 'loaded up to ' ~ watermark,
                   'watermark': watermark}) }}
    {%- endif -%}
    {%- set upper = column.sql ~ ' <= cast(' ~ raw_path_literal(latest) ~ ' as '
        ~ column.type ~ ')' -%}
    {%- set lower = '' if watermark is none else column.sql ~ ' > cast('
        ~ raw_path_literal(watermark) ~ ' as ' ~ column.type ~ ') and ' -%}
    {{ return({'source': 'loaded up to ' ~ latest, 'watermark': latest,
               'batch_filter': lower ~ upper}) }}
{% endmacro %}
