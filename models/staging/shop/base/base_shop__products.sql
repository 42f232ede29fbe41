-- Every raw product row, read and checked on its own (reject_reason null = valid).
with

source_rows as (
    select
        raw_rows.*,
        duplicated.record_key is not null as _is_duplicated
    from {{ raw_table('products') }} as raw_rows
    {{ join_duplicated_raw_ids('products', 'raw_rows', 'duplicated') }}
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
        {{ parse_decimal('cleaned.list_price') }} as list_price_parsed,
        {{ raw_record_text('products', 'cleaned') }} as record_text
    from cleaned
),

final as (
    select
        parsed.product_id,
        parsed._is_duplicated,
        case when parsed.product_id is null then 'missing_required' end as reject_reason,
        parsed.record_text,
        parsed.product_name,
        lower(parsed.category) as category,
        case when parsed.list_price_parsed >= 0 then parsed.list_price_parsed end as list_price
    from parsed
)

select * from final
