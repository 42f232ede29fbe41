{#
    Spark: the scratch table `<relation>__<suffix>` next to `relation` (the incremental
    materialization's `__new`, the run's rows, and `__next`, the table's next rows).
#}
{% macro spark_scratch_relation(relation, suffix) %}
    {{ return(relation.incorporate(path={'identifier': relation.identifier ~ '__' ~ suffix})) }}
{% endmacro %}
