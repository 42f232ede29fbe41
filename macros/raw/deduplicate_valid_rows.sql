{#
    The valid rows of a base view (reject_reason is null), one per id, by raw-data.md
    rule 6: the latest version (updated_at; null counts as the event time) wins, ties go
    to the latest event time, then to the row whose record_text sorts last (byte order).
    Returns `columns` and `_versions` (how many valid raw rows were merged into this row:
    1 for an id seen once).

    Only ids that occur more than once among the base rows are ranked (a window over a
    few percent of the rows); the others pass through an anti-join. Same result as ranking
    every row, without sorting tens of millions of rows by id. The base view is read
    three times, but each read parses only what it needs: the ids to find the duplicated
    ones, the once-seen rows, the rows of duplicated ids (the only ones whose record_text
    is built).
#}
{% macro deduplicate_valid_rows(base_relation, key, columns, event_column=none,
                                version_column=none) -%}
    {%- set order_terms = [] -%}
    {%- if version_column is not none and event_column is not none -%}
        {%- do order_terms.append('coalesce(' ~ version_column ~ ', ' ~ event_column ~ ') desc') -%}
    {%- endif -%}
    {%- if event_column is not none -%}
        {%- do order_terms.append(event_column ~ ' desc') -%}
    {%- endif -%}
    {%- do order_terms.append('record_text desc') -%}
    {%- set duplicated_keys -%}
        (
            select counted.{{ key }}
            from {{ base_relation }} as counted
            where counted.{{ key }} is not null
            group by counted.{{ key }}
            having count(*) > 1
        )
    {%- endset -%}
    select
        {%- for column_name in columns %}
        single_rows.{{ column_name }},
        {%- endfor %}
        1 as _versions
    from {{ base_relation }} as single_rows
    where single_rows.reject_reason is null
        and single_rows.{{ key }} not in {{ duplicated_keys }}
    union all
    select
        {%- for column_name in columns %}
        ranked_rows.{{ column_name }},
        {%- endfor %}
        ranked_rows._versions
    from (
        select
            base_rows.*,
            row_number() over (
                partition by base_rows.{{ key }}
                order by {{ order_terms | join(', ') }}
            ) as version_rank,
            count(*) over (partition by base_rows.{{ key }}) as _versions
        from {{ base_relation }} as base_rows
        where base_rows.reject_reason is null
            and base_rows.{{ key }} in {{ duplicated_keys }}
    ) as ranked_rows
    where ranked_rows.version_rank = 1
{%- endmacro %}
