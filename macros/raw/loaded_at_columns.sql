{#
    The loaded-at columns that make a raw_schema table a `loaded_at` layout (docs/data-path.md):
    the project's own and the EL tools' (Fivetran, Airbyte), lower case, first found wins.
#}
{% macro loaded_at_columns() %}
    {{ return(['_loaded_at', '_fivetran_synced', '_airbyte_extracted_at']) }}
{% endmacro %}
