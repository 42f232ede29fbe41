-- Every raw cart row (shopping carts and checkouts).
-- One row per raw row read so far: read as the contract says, checked (reject_reason: the
-- first reason that applies, null = valid) and ranked (is_current: the version of its id
-- that rule 6 keeps). stg_shop__carts shows the current, valid, not deleted rows;
-- quarantine.quarantined_rows the rejected ones. DuckDB: incremental, a refresh decides
-- again only the ids it touches (changed_ids; docs/data-path.md).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='cart_id',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_rows('carts', 'cart_id') }}",
    post_hook=[
        "{{ delete_placeholder_rows() }}",
        "{{ delete_erased_keyless_rows('carts') }}"
    ]
) }}
{%- set plan = read_plan('carts') %}
{%- if raw_mode() == 'sample' %}
-- depends_on: {{ ref('carts') }}
{%- endif %}
-- depends_on: {{ ref('stg_shop__erasures') }}

with

{% if is_incremental() and not plan.full -%}
cleaned_now as (
    -- every raw row this run reads, as clean text: only its id and row_fingerprint are
    -- read from it (by changed_ids); the rows of the ids it touches are read in raw_rows
    select {{ clean_raw_columns('carts', 'source_rows') }}
    from {{ source('shop', 'carts') }} as source_rows
),

fingerprints_now as (
    select
        cleaned_now.cart_id,
        {{ row_fingerprint(raw_record_text('carts', 'cleaned_now')) }} as _fingerprint
    from cleaned_now
),

touched_ids as (
    {{ changed_ids('carts', plan, 'fingerprints_now', this) }}
),

{% endif -%}
raw_rows as (
    -- the raw rows this run reads: every row in a full build; in a refresh the rows
    -- without an id and those of the touched ids (parsed and checked below)
    select source_rows.*
    from {{ source('shop', 'carts') }} as source_rows
    {%- if is_incremental() and not plan.full %}
    where {{ clean_text('source_rows.cart_id') }} is null
        or {{ clean_text('source_rows.cart_id') }} in (
            select touched_ids.cart_id from touched_ids
        )
    {%- endif %}
),

currency_rates as (
    -- one row per currency: from when it converts into the reporting currency
    select distinct
        rate_periods.currency_code,
        rate_periods.rated_from_at
    from {{ ref('stg_reference__currency_rates') }} as rate_periods
),

cleaned as (
    select
        {{ clean_raw_columns('carts', 'raw_rows') }},
        {{ raw_row_origin('raw_rows') }}
    from raw_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_timestamp('cleaned.created_at') }} as created_at_parsed,
        {{ parse_timestamp('cleaned.updated_at') }} as updated_at_parsed,
        {{ parse_decimal('cleaned.cart_value') }} as cart_value_parsed,
        {{ parse_integer('cleaned.item_count') }} as item_count_parsed,
        coalesce(upper(cleaned.currency), '{{ checked_var("reporting_currency") }}')
            as currency_code
    from cleaned
),

validated as (
    -- the row's own checks; the reference check (unknown_customer) comes in `checked`
    select
        parsed.*,
        case
            when parsed.cart_id is null or parsed.created_at is null
                then 'missing_required'
            when parsed.created_at_parsed is null then 'unparseable'
            when {{ is_out_of_range('parsed.created_at_parsed') }} then 'out_of_range'
        end as row_reject_reason,
        currency_rates.currency_code is not null
        and (
            currency_rates.rated_from_at is null
            or parsed.created_at_parsed >= currency_rates.rated_from_at
        ) as has_rate
    from parsed
    left join currency_rates
        on parsed.currency_code = currency_rates.currency_code
),

typed_rows as (
    select
        validated.cart_id,
        validated.customer_id,
        validated.created_at_parsed as created_at,
        case
            when not {{ is_out_of_range('validated.updated_at_parsed') }}
                then validated.updated_at_parsed
        end as updated_at,
        -- a cart that names an order is never abandoned, whatever became of that order
        validated.completed_order_id,
        -- cart value and currency are optional: a negative value or a currency
        -- without a rate on the cart's day leaves the value null, the cart stays
        case
            when validated.cart_value_parsed >= 0 and validated.has_rate
                then validated.cart_value_parsed
        end as cart_value,
        case when validated.has_rate then validated.currency_code end as currency_code,
        case when validated.item_count_parsed >= 0 then validated.item_count_parsed end
            as item_count,
        {{ raw_record_text('carts', 'validated') }} as record_text,
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
    select touched_ids.cart_id from touched_ids
    union all
    select {{ sha256_hex('touched_ids.cart_id') }} from touched_ids
),

rows_to_check as (
    select read_rows.*
    from read_rows
    union all
    -- the stored rows of the touched ids (the stored table is read where it is used,
    -- changed_ids too, not as a CTE: a CTE read twice is materialized whole)
    select
        {%- for column_name in base_columns('carts', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where stored_rows.cart_id in (select touched_keys.cart_id from touched_keys)
        {%- if plan.replaced %}
        and stored_rows._source not in {{ sql_list(plan.replaced) }}
        {%- endif %}
    union all
    -- a stored row without an id whose customer was erased since (keyless_erasure_condition):
    -- scrubbed now; the post-hook delete_erased_keyless_rows deletes their stored copies
    select
        {%- for column_name in base_columns('carts', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where {{ keyless_erasure_condition('carts', 'stored_rows') }}
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
            {{ reference_reason('carts', 'rows_to_check') }}
        ) as reject_reason,
        rows_to_check.is_erased
        or coalesce({{ erasure_condition('carts', 'rows_to_check') }}, false) as erased_now
    from rows_to_check
    {{ reference_joins('carts', 'rows_to_check') }}
),

versioned_ids as (
    select checked.cart_id
    from checked
    where checked.reject_reason is null and not checked.erased_now
    group by checked.cart_id
    having count(*) > 1
),

final as (
    {{ current_versions('carts', 'checked',
        touched_ids='touched_ids' if is_incremental() and not plan.full else none) }}
)

select * from final
