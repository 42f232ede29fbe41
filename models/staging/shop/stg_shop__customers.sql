-- The clean customers: the valid rows of stg_shop__customers_checked (a view, no copy).
{{ config(materialized='view') }}
with

checked as (
    select * from {{ ref('stg_shop__customers_checked') }}
),

final as (
    select
        checked.customer_id,
        checked.registered_at,
        checked.updated_at,
        checked.email,
        checked.is_email_valid,
        checked.phone,
        checked.phone_digits,
        checked.gender,
        checked.gender_raw,
        checked.birth_date,
        checked.country_code,
        checked.country_code_raw,
        checked.region,
        checked.city,
        checked.work_city,
        checked.acquisition_channel,
        checked.customer_type,
        checked.company_type,
        checked.education,
        checked.occupation,
        checked.marital_status,
        checked.children_count,
        checked.annual_income,
        checked.sms_opt_in,
        checked.email_opt_in,
        checked._versions
    from checked
    where checked.reject_reason is null
)

select * from final
