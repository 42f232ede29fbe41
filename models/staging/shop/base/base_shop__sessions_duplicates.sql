-- The sessions ids that occur more than once among the raw rows this run reads (see
-- deduplicate_valid_rows: only their rows are ranked).
{{ config(materialized='table') }}
{{ duplicated_raw_ids('sessions') }}
