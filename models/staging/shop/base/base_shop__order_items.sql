-- Every raw order line.
-- One row per raw row read so far: read as the contract says, checked (reject_reason: the
-- first reason that applies, null = valid) and ranked (is_current: the version of its id
-- that rule 6 keeps). stg_shop__order_items shows the current, valid, not deleted rows;
-- quarantine.quarantined_rows the rejected ones. DuckDB: incremental, a refresh decides
-- again only the ids it touches (changed_ids; docs/data-path.md).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_item_id',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_rows('order_items', 'order_item_id') }}",
    post_hook=[
        "{{ delete_placeholder_rows() }}",
        "{{ delete_erased_keyless_rows('order_items') }}"
    ]
) }}
{%- set plan = read_plan('order_items') %}
{%- if raw_mode() == 'sample' %}
-- depends_on: {{ ref('order_items') }}
{%- endif %}

with

{% if is_incremental() and not plan.full -%}
cleaned_now as (
    -- every raw row this run reads, as clean text: only its id and row_fingerprint are
    -- read from it (by changed_ids); the rows of the ids it touches are read in raw_rows
    select {{ clean_raw_columns('order_items', 'source_rows') }}
    from {{ source('shop', 'order_items') }} as source_rows
),

fingerprints_now as (
    select
        cleaned_now.order_item_id,
        {{ row_fingerprint(raw_record_text('order_items', 'cleaned_now')) }} as _fingerprint
    from cleaned_now
),

touched_ids as (
    {{ changed_ids('order_items', plan, 'fingerprints_now', this) }}
),

{% endif -%}
raw_rows as (
    -- the raw rows this run reads: every row in a full build; in a refresh the rows
    -- without an id and those of the touched ids (parsed and checked below)
    select source_rows.*
    from {{ source('shop', 'order_items') }} as source_rows
    {%- if is_incremental() and not plan.full %}
    where {{ clean_text('source_rows.order_item_id') }} is null
        or {{ clean_text('source_rows.order_item_id') }} in (
            select touched_ids.order_item_id from touched_ids
        )
    {%- endif %}
),

cleaned as (
    select
        {{ clean_raw_columns('order_items', 'raw_rows') }},
        {{ raw_row_origin('raw_rows') }}
    from raw_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_integer('cleaned.quantity') }} as quantity_parsed,
        {{ parse_decimal('cleaned.unit_price') }} as unit_price_parsed
    from cleaned
),

validated as (
    -- the row's own checks; the references (unknown_order, unknown_product) come in `checked`
    select
        parsed.*,
        case
            when parsed.order_item_id is null
                or parsed.order_id is null
                or parsed.product_id is null
                or parsed.quantity is null
                or parsed.unit_price is null
                then 'missing_required'
            when parsed.quantity_parsed is null or parsed.unit_price_parsed is null
                then 'unparseable'
            when parsed.quantity_parsed <= 0 or parsed.unit_price_parsed < 0
                then 'invalid_value'
        end as row_reject_reason
    from parsed
),

typed_rows as (
    select
        validated.order_item_id,
        validated.order_id,
        validated.product_id,
        validated.quantity_parsed as quantity,
        validated.unit_price_parsed as unit_price,
        {{ raw_record_text('order_items', 'validated') }} as record_text,
        validated._source,
        validated.is_tombstone,
        validated.row_reject_reason,
        false as is_erased
    from validated
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
    select touched_ids.order_item_id from touched_ids
    union all
    select {{ sha256_hex('touched_ids.order_item_id') }} from touched_ids
),

rows_to_check as (
    select read_rows.*
    from read_rows
    union all
    -- the stored rows of the touched ids (the stored table is read where it is used,
    -- changed_ids too, not as a CTE: a CTE read twice is materialized whole)
    select
        {%- for column_name in base_columns('order_items', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where stored_rows.order_item_id in (select touched_keys.order_item_id from touched_keys)
        {%- if plan.replaced %}
        and stored_rows._source not in {{ sql_list(plan.replaced) }}
        {%- endif %}
    union all
    -- a stored row without an id whose order was erased since (keyless_erasure_condition):
    -- scrubbed now; the post-hook delete_erased_keyless_rows deletes their stored copies
    select
        {%- for column_name in base_columns('order_items', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where {{ keyless_erasure_condition('order_items', 'stored_rows') }}
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
            {{ reference_reason('order_items', 'rows_to_check') }}
        ) as reject_reason,
        rows_to_check.is_erased
        or coalesce({{ erasure_condition('order_items', 'rows_to_check') }}, false) as erased_now
    from rows_to_check
    {{ reference_joins('order_items', 'rows_to_check') }}
),

versioned_ids as (
    select checked.order_item_id
    from checked
    where checked.reject_reason is null and not checked.erased_now
    group by checked.order_item_id
    having count(*) > 1
),

final as (
    {{ current_versions('order_items', 'checked',
        touched_ids='touched_ids' if is_incremental() and not plan.full else none) }}
)

select * from final
