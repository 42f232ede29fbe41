-- One row per clean product (duplicated ids merged by the contract's tie rule).
with

latest as (
    {{ deduplicate_valid_rows(
        ref('base_shop__products'),
        'product_id',
        columns=[
            'product_id',
            'product_name',
            'category',
            'list_price'
        ]) }}
),

final as (
    select
        latest.product_id,
        latest.product_name,
        latest.category,
        latest.list_price,
        -- valid raw rows merged into this row (1 = seen once)
        latest._versions
    from latest
)

select * from final
