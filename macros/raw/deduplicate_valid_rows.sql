{#
    The valid rows of a base model (reject_reason is null), one per id, by raw-data.md
    rule 6: the latest version (updated_at; null counts as the event time) wins, ties go
    to the latest event time, then to the row whose record_text sorts last (byte order).
    Adds no columns; drops the bookkeeping columns reject_reason and record_text.
#}
{% macro deduplicate_valid_rows(base_relation, key, event_column=none, version_column=none) -%}
    {%- set order_terms = [] -%}
    {%- if version_column is not none and event_column is not none -%}
        {%- do order_terms.append('coalesce(' ~ version_column ~ ', ' ~ event_column ~ ') desc') -%}
    {%- endif -%}
    {%- if event_column is not none -%}
        {%- do order_terms.append(event_column ~ ' desc') -%}
    {%- endif -%}
    {%- do order_terms.append('record_text desc') -%}
    select *
    from (
        select
            base_rows.*,
            row_number() over (
                partition by base_rows.{{ key }}
                order by {{ order_terms | join(', ') }}
            ) as version_rank
        from {{ base_relation }} as base_rows
        where base_rows.reject_reason is null
    ) as ranked_rows
    where ranked_rows.version_rank = 1
{%- endmacro %}
