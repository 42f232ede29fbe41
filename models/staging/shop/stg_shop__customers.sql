-- One row per clean customer account: the latest valid version of each customer_id.
with

latest as (
    {{ deduplicate_valid_rows(
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
        latest.customer_id,
        latest.registered_at,
        latest.updated_at,
        latest.email,
        latest.is_email_valid,
        latest.phone,
        latest.phone_digits,
        latest.gender,
        latest.gender_raw,
        latest.birth_date,
        latest.country_code,
        latest.country_code_raw,
        latest.region,
        latest.city,
        latest.work_city,
        latest.acquisition_channel,
        latest.customer_type,
        latest.company_type,
        latest.education,
        latest.occupation,
        latest.marital_status,
        latest.children_count,
        latest.annual_income,
        latest.sms_opt_in,
        latest.email_opt_in,
        -- valid raw rows merged into this row (1 = seen once)
        latest._versions
    from latest
)

select * from final
