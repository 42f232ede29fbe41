-- Every raw order line, read and checked on its own (reject_reason null = valid).
with

source_rows as (
    {{ raw_rows_with_keys('order_items', 'raw_rows', 'row_keys') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

cleaned as (
    select
        source_rows._is_duplicated,
        {{ clean_raw_columns('order_items', 'source_rows') }}
    from source_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_integer('cleaned.quantity') }} as quantity_parsed,
        {{ parse_decimal('cleaned.unit_price') }} as unit_price_parsed
    from cleaned
),

validated as (
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
            when orders.order_id is null then 'unknown_order'
            when products.product_id is null then 'unknown_product'
        end as reject_reason
    from parsed
    left join orders
        on parsed.order_id = orders.order_id
    left join products
        on parsed.product_id = products.product_id
),

final as (
    select
        validated.order_item_id,
        validated._is_duplicated,
        validated.reject_reason,
        -- built after the checks, so a read that keeps few rows builds it for those only
        {{ raw_record_text('order_items', 'validated') }} as record_text,
        validated.order_id,
        validated.product_id,
        validated.quantity_parsed as quantity,
        validated.unit_price_parsed as unit_price
    from validated
)

select * from final
