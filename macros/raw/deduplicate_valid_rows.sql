{#
    The valid rows of a base model (reject_reason is null), one per id, by raw-data.md
    rule 6: the latest version (updated_at; null counts as the event time) wins, ties go
    to the latest event time, then to the row whose record_text sorts last (byte order).
    Adds the column version_rank (always 1); callers select their columns.

    Only ids with more than one valid row are ranked (a window over a few percent of the
    rows); the others pass through an anti-join. Same result as ranking every row, without
    sorting tens of millions of rows by id.

    `keys_sql`: optional query of the ids to deduplicate (an incremental run's changed ids).
#}
{% macro deduplicate_valid_rows(base_relation, key, event_column=none, version_column=none,
                                keys_sql=none) -%}
    {%- set order_terms = [] -%}
    {%- if version_column is not none and event_column is not none -%}
        {%- do order_terms.append('coalesce(' ~ version_column ~ ', ' ~ event_column ~ ') desc') -%}
    {%- endif -%}
    {%- if event_column is not none -%}
        {%- do order_terms.append(event_column ~ ' desc') -%}
    {%- endif -%}
    {%- do order_terms.append('record_text desc') -%}
    {%- set valid_rows -%}
        (
            select *
            from {{ base_relation }} as all_rows
            where all_rows.reject_reason is null
            {%- if keys_sql is not none %}
                and all_rows.{{ key }} in ({{ keys_sql }})
            {%- endif %}
        )
    {%- endset -%}
    {%- set duplicated_keys -%}
        (
            select counted.{{ key }}
            from {{ valid_rows }} as counted
            group by counted.{{ key }}
            having count(*) > 1
        )
    {%- endset -%}
    select
        single_rows.*,
        1 as version_rank
    from {{ valid_rows }} as single_rows
    where single_rows.{{ key }} not in {{ duplicated_keys }}
    union all
    select *
    from (
        select
            base_rows.*,
            row_number() over (
                partition by base_rows.{{ key }}
                order by {{ order_terms | join(', ') }}
            ) as version_rank
        from {{ valid_rows }} as base_rows
        where base_rows.{{ key }} in {{ duplicated_keys }}
    ) as ranked_rows
    where ranked_rows.version_rank = 1
{%- endmacro %}
