-- The sessions ids that need attention in this run, with their raw row count: the
-- duplicated ids (full build) or every id of the refresh window (incremental run).
-- In an incremental run the window also takes the rows whose customer is not a clean
-- customer now (macros/incremental/refresh_window.sql), so the customers come first.
-- depends_on: {{ ref('stg_shop__customers') }}
{{ config(materialized='table') }}
{{ raw_keys('sessions') }}
