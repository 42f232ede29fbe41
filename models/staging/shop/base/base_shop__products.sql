-- Every raw product row (the catalogue).
-- One row per raw row read so far: read as the contract says, checked (reject_reason: the
-- first reason that applies, null = valid) and ranked (is_current: the version of its id
-- that rule 6 keeps). stg_shop__products shows the current, valid, not deleted rows;
-- quarantine.quarantined_rows the rejected ones. DuckDB: incremental, a refresh decides
-- again only the ids it touches (changed_ids; docs/data-path.md).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='product_id',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_rows('products', 'product_id') }}",
    post_hook="{{ delete_placeholder_rows() }}"
) }}
{%- set plan = read_plan('products') %}
{%- if raw_mode() == 'sample' %}
-- depends_on: {{ ref('products') }}
{%- endif %}

with

{% if is_incremental() and not plan.full -%}
cleaned_now as (
    -- every raw row this run reads, as clean text: only its id and row_fingerprint are
    -- read from it (by changed_ids); the rows of the ids it touches are read in raw_rows
    select {{ clean_raw_columns('products', 'source_rows') }}
    from {{ source('shop', 'products') }} as source_rows
),

fingerprints_now as (
    select
        cleaned_now.product_id,
        {{ row_fingerprint(raw_record_text('products', 'cleaned_now')) }} as _fingerprint
    from cleaned_now
),

touched_ids as (
    {{ changed_ids('products', plan, 'fingerprints_now', this) }}
),

{% endif -%}
raw_rows as (
    -- the raw rows this run reads: every row in a full build; in a refresh the rows
    -- without an id and those of the touched ids (parsed and checked below)
    select source_rows.*
    from {{ source('shop', 'products') }} as source_rows
    {%- if is_incremental() and not plan.full %}
    where {{ clean_text('source_rows.product_id') }} is null
        or {{ clean_text('source_rows.product_id') }} in (
            select touched_ids.product_id from touched_ids
        )
    {%- endif %}
),

cleaned as (
    select
        {{ clean_raw_columns('products', 'raw_rows') }},
        {{ raw_row_origin('raw_rows') }}
    from raw_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_decimal('cleaned.list_price') }} as list_price_parsed,
        case when cleaned.product_id is null then 'missing_required' end as row_reject_reason
    from cleaned
),

typed_rows as (
    select
        parsed.product_id,
        parsed.product_name,
        lower(parsed.category) as category,
        case when parsed.list_price_parsed >= 0 then parsed.list_price_parsed end as list_price,
        {{ raw_record_text('products', 'parsed') }} as record_text,
        parsed._source,
        parsed.is_tombstone,
        parsed.row_reject_reason,
        false as is_erased
    from parsed
),

read_rows as (
    -- in the stored shape (base_columns), before the reference checks
    select
        typed_rows.*,
        {{ row_fingerprint('typed_rows.record_text') }} as _fingerprint
    from typed_rows
),

{% if is_incremental() and not plan.full -%}
touched_keys as (
    -- the touched ids, and the keys their erased rows are stored under (current_versions)
    select touched_ids.product_id from touched_ids
    union all
    select {{ sha256_hex('touched_ids.product_id') }} from touched_ids
),

rows_to_check as (
    select read_rows.*
    from read_rows
    union all
    select
        {%- for column_name in base_columns('products', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- the stored table is read where it is used (changed_ids too), not as a CTE: a CTE
    -- read twice would be materialized whole, every column of every stored row
    from {{ this }} as stored_rows
    where stored_rows.product_id in (select touched_keys.product_id from touched_keys)
        {%- if plan.replaced %}
        and stored_rows._source not in {{ sql_list(plan.replaced) }}
        {%- endif %}
),
{%- else -%}
rows_to_check as (
    select * from read_rows
),
{%- endif %}

checked as (
    select
        rows_to_check.*,
        coalesce(
            rows_to_check.row_reject_reason,
            {{ reference_reason('products', 'rows_to_check') }}
        ) as reject_reason,
        rows_to_check.is_erased
        or coalesce({{ erasure_condition('products', 'rows_to_check') }}, false) as erased_now
    from rows_to_check
    {{ reference_joins('products', 'rows_to_check') }}
),

versioned_ids as (
    select checked.product_id
    from checked
    where checked.reject_reason is null and not checked.erased_now
    group by checked.product_id
    having count(*) > 1
),

final as (
    {{ current_versions('products', 'checked',
        touched_ids='touched_ids' if is_incremental() and not plan.full else none) }}
)

select * from final
