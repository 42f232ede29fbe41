-- One row per clean customer account: the latest valid version of each customer_id,
-- and every rejected raw row with its reason (quarantined_rows reads them; the view
-- stg_shop__customers holds the clean rows). Each raw row is parsed once.
{{ config(materialized='table') }}
with

checked as (
    {{ checked_rows(
        ref('base_shop__customers'),
        'customer_id',
        columns=[
            'customer_id',
            'registered_at',
            'updated_at',
            'email',
            'is_email_valid',
            'phone',
            'phone_digits',
            'gender',
            'gender_raw',
            'birth_date',
            'country_code',
            'country_code_raw',
            'region',
            'city',
            'work_city',
            'acquisition_channel',
            'customer_type',
            'company_type',
            'education',
            'occupation',
            'marital_status',
            'children_count',
            'annual_income',
            'sms_opt_in',
            'email_opt_in'
        ],
        event_column='registered_at',
        version_column='updated_at') }}
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
        -- valid raw rows merged into this row (1 = seen once; null on a rejected row)
        checked._versions,
        -- null on a valid row, else the quarantine reason code and the row's values
        checked.reject_reason,
        checked.record_text
    from checked
)

select * from final
