-- Every raw order line, read and checked on its own (reject_reason null = valid).
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='_order_key',
    on_schema_change='fail'
) }}
-- depends_on: {{ ref('base_shop__orders') }}
with

source_rows as (
    select raw_rows.* from {{ raw_table('order_items') }} as raw_rows
    {%- if is_incremental() %}
    -- incremental: the lines of every order reloaded since this model last ran, and the
    -- lines of orders not (yet) known, all replaced per order id (_order_key)
    where coalesce({{ clean_text('raw_rows.order_id') }}, '') in (
            select reloaded.order_id
            from {{ ref('base_shop__orders') }} as reloaded
            where reloaded._loaded_at > (select max(loaded._loaded_at) from {{ this }} as loaded)
        )
        or not exists (
            select 1
            from {{ ref('base_shop__orders') }} as known
            where known.order_id = {{ clean_text('raw_rows.order_id') }}
        )
    {%- endif %}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

cleaned as (
    select
        {{ clean_raw_columns('order_items', 'source_rows') }}
    from source_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_integer('cleaned.quantity') }} as quantity_parsed,
        {{ parse_decimal('cleaned.unit_price') }} as unit_price_parsed,
        {{ raw_record_text('order_items', 'cleaned') }} as record_text
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
        validated.reject_reason,
        validated.record_text,
        validated.order_id,
        validated.product_id,
        validated.quantity_parsed as quantity,
        validated.unit_price_parsed as unit_price,
        coalesce(validated.order_id, '') as _order_key,
        {{ loaded_at() }} as _loaded_at
    from validated
)

select * from final
