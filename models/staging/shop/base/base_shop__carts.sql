-- Every raw cart row, read and checked on its own (reject_reason null = valid).
with

source_rows as (
    {{ raw_rows_with_keys('carts', 'raw_rows', 'row_keys') }}
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
        {{ clean_raw_columns('carts', 'source_rows') }}
    from source_rows
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
    select
        parsed.*,
        case
            when parsed.cart_id is null or parsed.created_at is null
                then 'missing_required'
            when parsed.created_at_parsed is null then 'unparseable'
            when {{ is_out_of_range('parsed.created_at_parsed') }} then 'out_of_range'
            when parsed.customer_id is not null and customers.customer_id is null
                then 'unknown_customer'
        end as reject_reason
    from parsed
    left join customers
        on parsed.customer_id = customers.customer_id
),

final as (
    select
        validated.cart_id,
        validated._is_duplicated,
        validated.reject_reason,
        -- built after the checks, so a read that keeps few rows builds it for those only
        {{ raw_record_text('carts', 'validated') }} as record_text,
        validated.customer_id,
        validated.created_at_parsed as created_at,
        case
            when not {{ is_out_of_range('validated.updated_at_parsed') }}
                then validated.updated_at_parsed
        end as updated_at,
        -- a cart that names an order is never abandoned, whatever became of that order
        validated.completed_order_id,
        -- cart value and currency are optional: a negative value or a currency
        -- without a rate leaves the value null, the cart stays
        case
            when validated.cart_value_parsed >= 0 and currency_rates.currency_code is not null
                then validated.cart_value_parsed
        end as cart_value,
        case when currency_rates.currency_code is not null then validated.currency_code end
            as currency_code,
        case when validated.item_count_parsed >= 0 then validated.item_count_parsed end
            as item_count
    from validated
    left join currency_rates
        on validated.currency_code = currency_rates.currency_code
)

select * from final
