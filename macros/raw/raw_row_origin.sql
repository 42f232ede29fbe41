{#
    The select list that carries a raw row's origin into staging: `_source` (the file,
    table or loaded-at batch it was read from; 'seed' for the bundled sample) and
    `is_tombstone` (the raw `_deleted` / `_fivetran_deleted` flag read as a boolean,
    rule 3; null or unreadable = not a tombstone).
#}
{% macro raw_row_origin(relation_alias) -%}
    {%- if raw_mode() == 'sample' -%}
    cast('seed' as {{ dbt.type_string() }}) as _source,
    false as is_tombstone
    {%- else -%}
    {{ relation_alias }}._source,
    coalesce({{ parse_boolean(clean_text(relation_alias ~ '._deleted')) }}, false) as is_tombstone
    {%- endif -%}
{%- endmacro %}
