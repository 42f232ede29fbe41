-- The clean customers: the current, valid version of each id that is not deleted (a tombstone),
-- with _versions (how many valid raw rows were merged into it). A view on
-- base_shop__customers (no copy).
{{ config(materialized='view') }}

with

base_rows as (
    select * from {{ ref('base_shop__customers') }}
),

final as (
    select
        base_rows.customer_id,
        base_rows.registered_at,
        base_rows.updated_at,
        base_rows.email,
        base_rows.is_email_valid,
        base_rows.phone,
        base_rows.phone_digits,
        base_rows.gender,
        base_rows.gender_raw,
        base_rows.birth_date,
        base_rows.country_code,
        base_rows.country_code_raw,
        base_rows.region,
        base_rows.city,
        base_rows.work_city,
        base_rows.acquisition_channel,
        base_rows.customer_type,
        base_rows.company_type,
        base_rows.education,
        base_rows.occupation,
        base_rows.marital_status,
        base_rows.children_count,
        base_rows.annual_income,
        base_rows.sms_opt_in,
        base_rows.email_opt_in,
        base_rows._versions
    from base_rows
    where base_rows.is_current
        and not base_rows.is_tombstone
)

select * from final
