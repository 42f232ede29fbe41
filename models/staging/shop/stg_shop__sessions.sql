-- The clean sessions: the valid rows of stg_shop__sessions_checked (a view, no copy).
{{ config(materialized='view') }}
{{ clean_rows('sessions') }}
