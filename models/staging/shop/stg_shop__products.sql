-- The clean products: the valid rows of stg_shop__products_checked (a view, no copy).
{{ config(materialized='view') }}
with

checked as (
    select * from {{ ref('stg_shop__products_checked') }}
),

final as (
    select
        {%- for column_name in clean_columns('products') %}
        checked.{{ column_name }},
        {%- endfor %}
        checked._versions
    from checked
    where checked.reject_reason is null
)

select * from final
