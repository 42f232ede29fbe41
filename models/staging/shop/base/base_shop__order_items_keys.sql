-- The order_items ids that need attention in this run, with their raw row count: the
-- duplicated ids (full build) or every id of the refresh window (incremental run).
-- depends_on: {{ ref('stg_shop__orders_checked') }}
-- depends_on: {{ ref('stg_shop__products') }}
{{ config(materialized='table') }}
{{ raw_keys('order_items') }}
