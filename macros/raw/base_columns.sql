{#
    The columns of the staging base table base_shop__<table_name>, in order:
      - the clean columns (clean_columns: what stg_shop__<t> shows);
      - record_text (the row's trimmed values joined with `|`: rule 6's last tie-break,
        shown in quarantine);
      - _source, is_tombstone (raw_row_origin);
      - row_reject_reason (the row's own checks: missing_required ... invalid_value),
        is_erased (the row belongs to an erased customer; its values are gone) and
        _fingerprint (row_fingerprint of record_text);
    `checked` adds what the checks against the references and the ranking give:
    reject_reason, is_current, _versions and _loaded_at.
#}
{% macro base_columns(table_name, checked=true) %}
    {%- set columns = clean_columns(table_name) + ['record_text', '_source', 'is_tombstone',
        'row_reject_reason', 'is_erased', '_fingerprint'] -%}
    {%- if checked -%}
        {%- set columns = columns + ['reject_reason', 'is_current', '_versions', '_loaded_at'] -%}
    {%- endif -%}
    {{ return(columns) }}
{% endmacro %}
