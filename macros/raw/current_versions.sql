{#
    Rule 6 (docs/data-path.md) over the checked rows of base_shop__<table_name> (`checked`: a
    CTE with base_columns(checked=false), reject_reason and erased_now; `versioned_ids`:
    a CTE of the ids with more than one valid row), as the query of the model's rows
    (every column of base_columns):
      - rows of erased customers: kept as a count only (is_erased; every value null but
        their source and their key, which is sha256_hex of the raw key: the row keeps its
        place in the incremental bookkeeping, no raw id of it remains). A stored row
        erased already (`checked.is_erased`) keeps its key as it is (no hash of a hash);
      - every other row keeps its values; among the valid rows (reject_reason null) of
        each id, the version that wins is_current: the latest version time (the version
        column, null = the event time), then the latest event time, then the record_text
        that sorts last; `_versions` = the id's valid rows (tombstones included).
    `touched_ids` (an incremental run: the CTE of the ids decided again): an id of it that
    has no row left but erased ones (gone from the export, its files gone, its rows erased
    now: their key is a hash) gets one placeholder row (no _source), so that delete+insert
    on the id removes its stored rows; the post-hook delete_placeholder_rows deletes the
    placeholder.
    Only the valid rows of ids with more than one valid row are ranked (counted first):
    a few percent of the rows, instead of sorting tens of millions of rows by id.
#}
{% macro current_versions(table_name, checked, touched_ids=none) -%}
    {%- set spec = raw_contract()[table_name] -%}
    {%- set key = spec.key -%}
    {%- set order_terms = [] -%}
    {%- if spec.version is not none -%}
        {%- do order_terms.append('coalesce(' ~ spec.version ~ ', ' ~ spec.event ~ ') desc') -%}
    {%- endif -%}
    {%- if spec.event is not none -%}
        {%- do order_terms.append(spec.event ~ ' desc') -%}
    {%- endif -%}
    {%- do order_terms.append('record_text desc') -%}
    {%- set columns = base_columns(table_name, checked=false) -%}
    -- the rejected rows, and the valid rows of ids with one valid row
    select
        {%- for column_name in columns %}
        single_rows.{{ column_name }},
        {%- endfor %}
        single_rows.reject_reason,
        single_rows.reject_reason is null as is_current,
        case when single_rows.reject_reason is null then 1 end as _versions,
        {{ loaded_at() }} as _loaded_at
    from {{ checked }} as single_rows
    left join versioned_ids
        on single_rows.{{ key }} = versioned_ids.{{ key }}
    where not single_rows.erased_now
        and (single_rows.reject_reason is not null or versioned_ids.{{ key }} is null)
    union all
    -- the valid rows of ids with several valid rows, ranked
    select
        {%- for column_name in columns %}
        ranked_rows.{{ column_name }},
        {%- endfor %}
        ranked_rows.reject_reason,
        ranked_rows.version_rank = 1 as is_current,
        ranked_rows._versions,
        {{ loaded_at() }} as _loaded_at
    from (
        select
            versions.*,
            row_number() over (
                partition by versions.{{ key }}
                order by {{ order_terms | join(', ') }}
            ) as version_rank,
            count(*) over (partition by versions.{{ key }}) as _versions
        from {{ checked }} as versions
        inner join versioned_ids
            on versions.{{ key }} = versioned_ids.{{ key }}
        where not versions.erased_now
            and versions.reject_reason is null
    ) as ranked_rows
    union all
    -- the rows of erased customers: their source, and their key hashed (stored ones: as stored)
    select
        {%- for column_name in columns %}
        {%- if column_name == '_source' %}
        erased_rows._source,
        {%- elif column_name == key %}
        case
            when erased_rows.is_erased then erased_rows.{{ key }}
            else {{ sha256_hex('erased_rows.' ~ key) }}
        end as {{ key }},
        {%- elif column_name in ('is_tombstone',) %}
        false as is_tombstone,
        {%- elif column_name == 'is_erased' %}
        true as is_erased,
        {%- else %}
        null as {{ column_name }},
        {%- endif %}
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as reject_reason,
        false as is_current,
        cast(null as {{ dbt.type_bigint() }}) as _versions,
        {{ loaded_at() }} as _loaded_at
    from {{ checked }} as erased_rows
    where erased_rows.erased_now
    {%- if touched_ids is not none %}
    union all
    -- a placeholder for each id decided again that has no row left
    select
        {%- for column_name in columns %}
        {%- if column_name == key %}
        vanished_ids.{{ key }},
        {%- elif column_name in ('is_tombstone', 'is_erased') %}
        false as {{ column_name }},
        {%- else %}
        null as {{ column_name }},
        {%- endif %}
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as reject_reason,
        false as is_current,
        cast(null as {{ dbt.type_bigint() }}) as _versions,
        {{ loaded_at() }} as _loaded_at
    from {{ touched_ids }} as vanished_ids
    left join (
        select distinct remaining.{{ key }} from {{ checked }} as remaining
        where not remaining.erased_now
    ) as remaining_ids
        on vanished_ids.{{ key }} = remaining_ids.{{ key }}
    where remaining_ids.{{ key }} is null
        and vanished_ids.{{ key }} is not null
    {%- endif %}
{%- endmacro %}
