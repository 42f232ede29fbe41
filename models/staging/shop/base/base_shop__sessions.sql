-- Every raw session row, read and checked on its own (reject_reason null = valid).
with

source_rows as (
    {{ raw_rows_with_keys('sessions', 'raw_rows', 'row_keys') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

cleaned as (
    select
        source_rows._is_duplicated,
        {{ clean_raw_columns('sessions', 'source_rows') }}
    from source_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_timestamp('cleaned.started_at') }} as started_at_parsed,
        {{ parse_timestamp('cleaned.ended_at') }} as ended_at_parsed,
        {{ parse_integer('cleaned.page_views') }} as page_views_parsed,
        lower(cleaned.device_type) as device_type_lower
    from cleaned
),

validated as (
    select
        parsed.*,
        case
            when parsed.session_id is null or parsed.started_at is null
                then 'missing_required'
            when parsed.started_at_parsed is null then 'unparseable'
            when {{ is_out_of_range('parsed.started_at_parsed') }} then 'out_of_range'
            when parsed.customer_id is not null and customers.customer_id is null
                then 'unknown_customer'
        end as reject_reason
    from parsed
    left join customers
        on parsed.customer_id = customers.customer_id
),

final as (
    select
        validated.session_id,
        validated._is_duplicated,
        validated.reject_reason,
        -- built after the checks, so a read that keeps few rows builds it for those only
        {{ raw_record_text('sessions', 'validated') }} as record_text,
        validated.customer_id,
        validated.started_at_parsed as started_at,
        case
            when validated.ended_at_parsed >= validated.started_at_parsed
                then validated.ended_at_parsed
        end as ended_at,
        case
            when validated.device_type_lower is null then 'unknown'
            when validated.device_type_lower in ('desktop', 'mobile', 'tablet')
                then validated.device_type_lower
            else 'other'
        end as device_type,
        case when validated.page_views_parsed >= 0 then validated.page_views_parsed end
            as page_views,
        lower(validated.traffic_source) as traffic_source
    from validated
)

select * from final
