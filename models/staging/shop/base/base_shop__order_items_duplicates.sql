-- The order_items ids that occur more than once among the raw rows this run reads (see
-- deduplicate_valid_rows: only their rows are ranked).
-- depends_on: {{ ref('stg_shop__orders') }}
{{ config(materialized='table') }}
{{ duplicated_raw_ids('order_items') }}
