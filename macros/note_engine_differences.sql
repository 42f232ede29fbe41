{#
    on-run-start hook: says once, at the start of a run, what this engine skips, so that a
    missing relation is never a surprise. `skipped` lists, per engine, what does not run
    there and why (segment history runs everywhere: models/history).
#}
{% macro note_engine_differences() %}
    {%- set skipped = {'spark': []} -%}
    {%- if execute and skipped.get(target.type) -%}
        {{ log(target.type | capitalize ~ " target: skipping " ~ skipped[target.type] | join('; ')
            ~ ". Every other model and test runs.", info=True) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
