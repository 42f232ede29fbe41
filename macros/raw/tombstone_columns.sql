{# The raw columns that flag a tombstone row (docs/data-path.md: `_deleted`, Fivetran's `_fivetran_deleted`). #}
{% macro tombstone_columns() %}
    {{ return(['_deleted', '_fivetran_deleted']) }}
{% endmacro %}
