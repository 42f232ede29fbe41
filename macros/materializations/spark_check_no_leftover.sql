{#
    Spark: stops the run, in one line, when `<relation>__next` exists: an earlier rewrite
    of `relation` (spark_rewrite_table) stopped before it finished, and that table holds
    the rows `relation` was being given.
#}
{% macro spark_check_no_leftover(relation) %}
    {%- set next_relation = spark_scratch_relation(relation, 'next') -%}
    {%- if adapter.get_relation(database=next_relation.database, schema=next_relation.schema,
                                identifier=next_relation.identifier) is not none -%}
        {{ exceptions.raise_compiler_error(
            'incremental ' ~ relation ~ ': ' ~ next_relation ~ ' exists: an earlier rewrite of '
            ~ relation ~ ' stopped before it finished and that table holds its next rows;'
            ~ ' compare the two; put the right rows back (insert overwrite table ' ~ relation
            ~ ' select * from ' ~ next_relation ~ ') and drop ' ~ next_relation ~ ', or drop it'
            ~ ' and rebuild ' ~ relation ~ ' with --full-refresh (docs/refresh.md, "On Spark")') }}
    {%- endif -%}
{% endmacro %}
