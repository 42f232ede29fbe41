-- The clean products: the valid rows of stg_shop__products_checked (a view, no copy).
{{ config(materialized='view') }}
{{ clean_rows('products') }}
