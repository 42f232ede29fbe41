-- The clean carts: the valid rows of stg_shop__carts_checked (a view, no copy).
{{ config(materialized='view') }}
{{ clean_rows('carts') }}
