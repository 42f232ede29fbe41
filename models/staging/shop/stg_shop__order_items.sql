-- The clean order items: the valid rows of stg_shop__order_items_checked (a view, no copy).
{{ config(materialized='view') }}
{{ clean_rows('order_items') }}
