-- Every raw product row, read and checked on its own (reject_reason null = valid).
with

source_rows as (
    {{ raw_rows_with_keys('products', 'raw_rows', 'row_keys') }}
),

cleaned as (
    select
        source_rows._is_duplicated,
        {{ clean_raw_columns('products', 'source_rows') }}
    from source_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_decimal('cleaned.list_price') }} as list_price_parsed
    from cleaned
),

final as (
    select
        parsed.product_id,
        parsed._is_duplicated,
        case when parsed.product_id is null then 'missing_required' end as reject_reason,
        -- built after the checks, so a read that keeps few rows builds it for those only
        {{ raw_record_text('products', 'parsed') }} as record_text,
        parsed.product_name,
        lower(parsed.category) as category,
        case when parsed.list_price_parsed >= 0 then parsed.list_price_parsed end as list_price
    from parsed
)

select * from final
