-- The clean customers: the valid rows of stg_shop__customers_checked (a view, no copy).
{{ config(materialized='view') }}
{{ clean_rows('customers') }}
