-- One row per clean customer account: the latest valid version of each customer_id,
-- and every rejected raw row with its reason (quarantined_rows reads them; the view
-- stg_shop__customers holds the clean rows). Each raw row is parsed once.
{{ config(materialized='table') }}
with

checked as (
    {{ checked_rows(
        ref('base_shop__customers'),
        'customer_id',
        columns=clean_columns('customers'),
        event_column='registered_at',
        version_column='updated_at') }}
),

final as (
    -- the clean columns, _versions, reject_reason and record_text (checked_rows)
    select * from checked
)

select * from final
