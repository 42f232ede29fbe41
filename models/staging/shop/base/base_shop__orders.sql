-- Every raw order row, read and checked on its own (reject_reason null = valid).
with

source_rows as (
    {{ raw_rows_with_keys('orders', 'raw_rows', 'row_keys') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

cleaned as (
    select
        source_rows._is_duplicated,
        {{ clean_raw_columns('orders', 'source_rows') }}
    from source_rows
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
                then 'invalid_value'
            when parsed.customer_id is not null and customers.customer_id is null
                then 'unknown_customer'
        end as reject_reason
    from parsed
    left join customers
        on parsed.customer_id = customers.customer_id
    left join currency_rates
        on parsed.currency_code = currency_rates.currency_code
),

final as (
    select
        validated.order_id,
        validated._is_duplicated,
        validated.reject_reason,
        -- built after the checks, so a read that keeps few rows builds it for those only
        {{ raw_record_text('orders', 'validated') }} as record_text,
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
        lower(validated.sales_channel) as sales_channel
    from validated
)

select * from final
