-- The clean orders: the valid rows of stg_shop__orders_checked (a view, no copy).
{{ config(materialized='view') }}
{{ clean_rows('orders') }}
