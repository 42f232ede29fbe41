{#
    on-run-start hook: says once, at the start of a run, what this engine skips, so that a
    missing relation is never a surprise. Spark here has no Delta/Iceberg: the snapshot of
    segment membership and the two history marts built on it are DuckDB-only.
#}
{% macro note_engine_differences() %}
    {%- if execute and target.type == 'spark' -%}
        {{ log("Spark target: skipping the DuckDB-only snapshot segment_membership_snapshot "
            ~ "and marts segment_membership_history, segment_transitions (snapshots need "
            ~ "Delta/Iceberg on Spark). Every other model and test runs.", info=True) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
