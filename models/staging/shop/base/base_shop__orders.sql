-- Every raw order row read so far, one row per raw row: read as the contract says, checked
-- (reject_reason: the first reason that applies, null = valid), and ranked (is_current:
-- the version of its order_id that rule 6 keeps). stg_shop__orders shows the current,
-- valid, not deleted rows; quarantine.quarantined_rows the rejected ones.
-- DuckDB: incremental, a refresh decides again only the ids it touches (changed_ids).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_id',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_rows('orders', 'order_id') }}",
    post_hook=[
        "{{ delete_placeholder_rows() }}",
        "{{ delete_erased_keyless_rows('orders') }}"
    ]
) }}
{%- set plan = read_plan('orders') %}
{%- if raw_mode() == 'sample' %}
-- depends_on: {{ ref('orders') }}
{%- endif %}
-- depends_on: {{ ref('stg_shop__erasures') }}

with

{% if is_incremental() and not plan.full -%}
cleaned_now as (
    -- every raw row this run reads, as clean text: only its id and row_fingerprint are
    -- read from it (by changed_ids); the rows of the ids it touches are read in raw_rows
    select {{ clean_raw_columns('orders', 'source_rows') }}
    from {{ source('shop', 'orders') }} as source_rows
),

fingerprints_now as (
    select
        cleaned_now.order_id,
        {{ row_fingerprint(raw_record_text('orders', 'cleaned_now')) }} as _fingerprint
    from cleaned_now
),

touched_ids as (
    {{ changed_ids('orders', plan, 'fingerprints_now', this) }}
),

{% endif -%}
raw_rows as (
    -- the raw rows this run reads: every row in a full build; in a refresh the rows
    -- without an id and those of the touched ids (parsed and checked below)
    select source_rows.*
    from {{ source('shop', 'orders') }} as source_rows
    {%- if is_incremental() and not plan.full %}
    where {{ clean_text('source_rows.order_id') }} is null
        or {{ clean_text('source_rows.order_id') }} in (
            select touched_ids.order_id from touched_ids
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
        {{ clean_raw_columns('orders', 'raw_rows') }},
        {{ raw_row_origin('raw_rows') }}
    from raw_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_timestamp('cleaned.ordered_at') }} as ordered_at_parsed,
        {{ parse_timestamp('cleaned.updated_at') }} as updated_at_parsed,
        {{ parse_decimal('cleaned.order_total') }} as order_total_parsed,
        {{ parse_decimal('cleaned.discount_total') }} as discount_total_parsed,
        lower(cleaned.status) as status_lower,
        coalesce(upper(cleaned.currency), '{{ checked_var("reporting_currency") }}')
            as currency_code
    from cleaned
),

validated as (
    -- the row's own checks; the reference check (unknown_customer) comes in `checked`
    select
        parsed.*,
        case
            when parsed.order_id is null
                or parsed.ordered_at is null
                or parsed.status is null
                or parsed.order_total is null
                then 'missing_required'
            when parsed.ordered_at_parsed is null or parsed.order_total_parsed is null
                then 'unparseable'
            when {{ is_out_of_range('parsed.ordered_at_parsed') }} then 'out_of_range'
            when parsed.order_total_parsed < 0
                or parsed.status_lower not in {{ sql_list(order_statuses('all')) }}
                or currency_rates.currency_code is null
                or parsed.ordered_at_parsed < currency_rates.rated_from_at
                then 'invalid_value'
        end as row_reject_reason
    from parsed
    left join currency_rates
        on parsed.currency_code = currency_rates.currency_code
),

typed_rows as (
    select
        validated.order_id,
        validated.customer_id,
        validated.ordered_at_parsed as ordered_at,
        case
            when not {{ is_out_of_range('validated.updated_at_parsed') }}
                then validated.updated_at_parsed
        end as updated_at,
        validated.status_lower as status,
        validated.status_lower in {{ sql_list(order_statuses('purchase')) }} as is_purchase,
        validated.currency_code,
        validated.order_total_parsed as order_total,
        -- discount is optional: negative or unreadable becomes null, null means 0
        coalesce(
            case when validated.discount_total_parsed >= 0 then validated.discount_total_parsed end,
            0
        ) as discount_total,
        validated.coupon_code,
        validated.coupon_code is not null as has_coupon,
        lower(validated.sales_channel) as sales_channel,
        {{ raw_record_text('orders', 'validated') }} as record_text,
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
    select touched_ids.order_id from touched_ids
    union all
    select {{ sha256_hex('touched_ids.order_id') }} from touched_ids
),

rows_to_check as (
    select read_rows.*
    from read_rows
    union all
    -- the stored rows of the touched ids (the stored table is read where it is used,
    -- changed_ids too, not as a CTE: a CTE read twice is materialized whole)
    select
        {%- for column_name in base_columns('orders', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where stored_rows.order_id in (select touched_keys.order_id from touched_keys)
        {%- if plan.replaced %}
        and stored_rows._source not in {{ sql_list(plan.replaced) }}
        {%- endif %}
    union all
    -- a stored row without an id whose customer was erased since (keyless_erasure_condition):
    -- scrubbed now; the post-hook delete_erased_keyless_rows deletes their stored copies
    select
        {%- for column_name in base_columns('orders', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where {{ keyless_erasure_condition('orders', 'stored_rows') }}
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
            {{ reference_reason('orders', 'rows_to_check') }}
        ) as reject_reason,
        rows_to_check.is_erased
        or coalesce({{ erasure_condition('orders', 'rows_to_check') }}, false) as erased_now
    from rows_to_check
    {{ reference_joins('orders', 'rows_to_check') }}
),

versioned_ids as (
    select checked.order_id
    from checked
    where checked.reject_reason is null and not checked.erased_now
    group by checked.order_id
    having count(*) > 1
),

final as (
    {{ current_versions('orders', 'checked',
        touched_ids='touched_ids' if is_incremental() and not plan.full else none) }}
)

select * from final
