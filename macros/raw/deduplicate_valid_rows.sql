{#
    The valid rows of a base view (reject_reason is null), one per id, by raw-data.md
    rule 6: the latest version (updated_at; null counts as the event time) wins, ties go
    to the latest event time, then to the row whose record_text sorts last (byte order).
    Returns `columns` and `_versions` (how many valid raw rows were merged into this row:
    1 for an id seen once).

    Only the rows of ids that occur more than once among the raw rows (_is_duplicated,
    from base_shop__<table>_duplicates) are ranked, a few percent of the rows; the others
    pass through. The flag comes from a join on the raw id, before any parsing, so each of
    the two reads of the base view parses only its own rows, and record_text is built for
    the duplicated ones only. Same result as ranking every row, without sorting tens of
    millions of rows by id.
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
    select
        {%- for column_name in columns %}
        single_rows.{{ column_name }},
        {%- endfor %}
        1 as _versions
    from {{ base_relation }} as single_rows
    where single_rows.reject_reason is null
        and not single_rows._is_duplicated
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
            and base_rows._is_duplicated
    ) as ranked_rows
    where ranked_rows.version_rank = 1
{%- endmacro %}

{#
    The ids of `table_name` that occur more than once among the raw rows this run reads
    (the model base_shop__<table_name>_duplicates): a superset of the ids with several
    valid rows, found with one pass over the raw ids instead of a pass over parsed rows.
#}
{% macro duplicated_raw_ids(table_name) -%}
    {%- set key = raw_contract()[table_name].key -%}
    with

    raw_ids as (
        select {{ clean_text('raw_rows.' ~ key) }} as record_key
        from {{ raw_table(table_name) }} as raw_rows
        {{ raw_rows_to_read(table_name, 'raw_rows') }}
    ),

    final as (
        select raw_ids.record_key
        from raw_ids
        where raw_ids.record_key is not null
        group by raw_ids.record_key
        having count(*) > 1
    )

    select * from final
{%- endmacro %}

{#
    Left join of the raw rows (`raw_alias`) to base_shop__<table_name>_duplicates as
    `join_alias`: `join_alias`.record_key is not null for a row whose id is duplicated.
    The ids there are distinct, so the join keeps one row per raw row.
#}
{% macro join_duplicated_raw_ids(table_name, raw_alias, join_alias) -%}
    left join {{ ref('base_shop__' ~ table_name ~ '_duplicates') }} as {{ join_alias }}
        on {{ clean_text(raw_alias ~ '.' ~ raw_contract()[table_name].key) }} = {{ join_alias }}.record_key
{%- endmacro %}
