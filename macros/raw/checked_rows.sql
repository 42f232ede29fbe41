{#
    Every raw row of a base view read once, split in one pass (the model
    stg_shop__<table>_checked):
      - the valid rows (reject_reason null), one per id, by raw-data.md rule 6: the latest
        version (updated_at; null counts as the event time) wins, ties go to the latest
        event time, then to the row whose record_text sorts last (byte order);
        `_versions` = how many valid raw rows were merged into the row (1 = seen once);
      - every rejected row, with its reject_reason and record_text (the quarantine reads
        them: quarantined_rows). Its typed columns hold what could be read; `_versions` is
        null.
    Returns `columns`, `_versions`, `reject_reason` and `record_text` (null on valid rows).

    Only the valid rows of ids that occur more than once among the raw rows
    (_is_duplicated, from base_shop__<table>_keys) are ranked, a few percent of the rows;
    the others pass through. The flag comes from a join on the raw id, before any
    parsing, so each of the two reads of the base view parses only its own rows, and
    record_text is built for the duplicated and the rejected rows only. Same result as
    ranking every row, without sorting tens of millions of rows by id; and the clean
    tables and the quarantine come from one parse of each raw row.
#}
{% macro checked_rows(base_relation, key, columns, event_column=none,
                      version_column=none) -%}
    {%- set order_terms = [] -%}
    {%- if version_column is not none and event_column is not none -%}
        {%- do order_terms.append('coalesce(' ~ version_column ~ ', ' ~ event_column ~ ') desc') -%}
    {%- endif -%}
    {%- if event_column is not none -%}
        {%- do order_terms.append(event_column ~ ' desc') -%}
    {%- endif -%}
    {%- do order_terms.append('record_text desc') -%}
    -- the valid rows of ids seen once, and every rejected row
    select
        {%- for column_name in columns %}
        single_rows.{{ column_name }},
        {%- endfor %}
        case when single_rows.reject_reason is null then 1 end as _versions,
        single_rows.reject_reason,
        case when single_rows.reject_reason is not null then single_rows.record_text end
            as record_text
    from {{ base_relation }} as single_rows
    where single_rows.reject_reason is not null
        or not single_rows._is_duplicated
    union all
    -- the valid rows of duplicated ids: the winning version of each
    select
        {%- for column_name in columns %}
        ranked_rows.{{ column_name }},
        {%- endfor %}
        ranked_rows._versions,
        cast(null as {{ dbt.type_string() }}) as reject_reason,
        cast(null as {{ dbt.type_string() }}) as record_text
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
    The model base_shop__<table_name>_keys: the clean ids whose rows need attention in
    this run, with their number of raw rows (raw_rows):
      - a full build: the ids that occur more than once among the raw rows (a superset of
        the ids with several valid rows: only their rows are ranked);
      - an incremental run: every id of the refresh window (refresh_window.sql), so that
        the window is worked out once and the base views join to it. Orders, sessions
        and carts: the ids with at least one raw row in the window, found in the same
        single pass over the raw ids that counts them. Order lines: the lines of the
        orders loaded by this run and of the orders not among the clean ones (orphans,
        lines that came before their order), found by a join to the clean orders; their
        raw rows are then counted by a second, cheap pass (a join to those few ids).
    Found with passes over the raw columns as they are, before any parsing.
#}
{% macro raw_keys(table_name) -%}
    {%- set key = raw_contract()[table_name].key -%}
    {%- set windowed = reads_raw_window(table_name) -%}
    with

    {% if windowed and table_name == 'order_items' -%}
    window_keys as (
        select distinct {{ clean_text('window_rows.' ~ key) }} as record_key
        from {{ raw_table(table_name) }} as window_rows
        left join {{ existing_checked_relation('orders') }} as clean_orders
            on coalesce({{ clean_text('window_rows.order_id') }}, '') = clean_orders.order_id
            and clean_orders.reject_reason is null
        where clean_orders.order_id is null or clean_orders._loaded_at = {{ loaded_at() }}
            -- a line whose product was deleted or has arrived since (unknown_product)
            or {{ reference_may_have_changed(table_name, 'window_rows', 'product_id',
                                             ref('stg_shop__products'), 'unknown_product') }}
    ),

    raw_ids as (
        select window_keys.record_key
        from {{ raw_table(table_name) }} as raw_rows
        inner join window_keys
            on {{ clean_text('raw_rows.' ~ key) }} = window_keys.record_key
    ),
    {%- else -%}
    raw_ids as (
        select
            {%- if windowed %}
            {{ raw_window_condition(table_name, 'raw_rows') }} as is_in_window,
            {%- endif %}
            {{ clean_text('raw_rows.' ~ key) }} as record_key
        from {{ raw_table(table_name) }} as raw_rows
    ),
    {%- endif %}

    final as (
        select
            raw_ids.record_key,
            count(*) as raw_rows
        from raw_ids
        where raw_ids.record_key is not null
        group by raw_ids.record_key
        {%- if not windowed %}
        having count(*) > 1
        {%- elif table_name != 'order_items' %}
        having {{ dbt.bool_or('raw_ids.is_in_window') }}
        {%- endif %}
    )

    select * from final
{%- endmacro %}

{#
    The raw rows of a base view (`raw_alias`) with base_shop__<table_name>_keys joined as
    `keys_alias` (its ids are distinct: one row per raw row); `_is_duplicated` = the id
    occurs more than once. In an incremental run only the rows of the window's ids and
    the rows without an id (few: all of them are read again) are kept.
#}
{% macro raw_rows_with_keys(table_name, raw_alias, keys_alias) -%}
    {%- set clean_key = clean_text(raw_alias ~ '.' ~ raw_contract()[table_name].key) -%}
    select
        {{ raw_alias }}.*,
        coalesce({{ keys_alias }}.raw_rows, 1) > 1 as _is_duplicated
    from {{ raw_table(table_name) }} as {{ raw_alias }}
    left join {{ ref('base_shop__' ~ table_name ~ '_keys') }} as {{ keys_alias }}
        on {{ clean_key }} = {{ keys_alias }}.record_key
    {%- if reads_raw_window(table_name) %}
    -- incremental: the rows of the refresh window's ids, and the rows without an id
    where {{ keys_alias }}.record_key is not null or {{ clean_key }} is null
    {%- endif %}
{%- endmacro %}
