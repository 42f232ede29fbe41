-- One row per clean product (duplicated ids merged by the contract's tie rule).
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__products'), 'product_id') }}
),

final as (
    select
        latest.product_id,
        latest.product_name,
        latest.category,
        latest.list_price
    from latest
)

select * from final
