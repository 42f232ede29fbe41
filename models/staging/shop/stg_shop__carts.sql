-- The clean carts: the valid rows of stg_shop__carts_checked (a view, no copy).
{{ config(materialized='view') }}
with

checked as (
    select * from {{ ref('stg_shop__carts_checked') }}
),

final as (
    select
        {%- for column_name in clean_columns('carts') %}
        checked.{{ column_name }},
        {%- endfor %}
        checked._versions,
        checked._loaded_at
    from checked
    where checked.reject_reason is null
)

select * from final
