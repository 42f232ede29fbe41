-- The orders ids that need attention in this run, with their raw row count: the
-- duplicated ids (full build) or every id of the refresh window (incremental run).
{{ config(materialized='table') }}
{{ raw_keys('orders') }}
