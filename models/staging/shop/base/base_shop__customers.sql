-- Every raw customer row, read as the contract says and checked on its own:
-- reject_reason is null for a valid row, else the first reason that applies.
with

source_rows as (
    {{ raw_rows_with_keys('customers', 'raw_rows', 'row_keys') }}
),

countries as (
    select * from {{ ref('countries') }}
),

cleaned as (
    select
        source_rows._is_duplicated,
        {{ clean_raw_columns('customers', 'source_rows') }}
    from source_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_timestamp('cleaned.registered_at') }} as registered_at_parsed,
        {{ parse_timestamp('cleaned.updated_at') }} as updated_at_parsed,
        {{ parse_timestamp('cleaned.birth_date') }} as birth_at_parsed,
        {{ parse_integer('cleaned.children_count') }} as children_count_parsed,
        {{ parse_decimal('cleaned.annual_income') }} as annual_income_parsed,
        lower(cleaned.email) as email_lower,
        lower(cleaned.gender) as gender_lower,
        upper(cleaned.country_code) as country_code_upper
    from cleaned
),

validated as (
    select
        parsed.*,
        case
            when parsed.customer_id is null or parsed.registered_at is null
                then 'missing_required'
            when parsed.registered_at_parsed is null then 'unparseable'
            when {{ is_out_of_range('parsed.registered_at_parsed') }} then 'out_of_range'
        end as reject_reason
    from parsed
),

final as (
    select
        validated.customer_id,
        validated._is_duplicated,
        validated.reject_reason,
        -- built after the checks, so a read that keeps few rows builds it for those only
        {{ raw_record_text('customers', 'validated') }} as record_text,
        validated.registered_at_parsed as registered_at,
        -- an unparseable or clock-error updated_at is an invalid optional value: null
        case
            when not {{ is_out_of_range('validated.updated_at_parsed') }}
                then validated.updated_at_parsed
        end as updated_at,
        validated.email_lower as email,
        coalesce({{ regex_matches('validated.email_lower', '[^@ ]+@[^@ ]+[.][^@ .]+') }}, false)
            as is_email_valid,
        validated.phone,
        nullif({{ regex_replace_all('validated.phone', '[^0-9]', '') }}, '') as phone_digits,
        case
            when validated.gender_lower is null then 'unknown'
            when validated.gender_lower in ('f', 'female', 'woman', 'w', 'girl') then 'female'
            when validated.gender_lower in ('m', 'male', 'man', 'boy') then 'male'
            when validated.gender_lower in ('u', 'unknown', 'n/a', 'na', 'prefer not to say')
                then 'unknown'
            else 'other'
        end as gender,
        validated.gender as gender_raw,
        -- a birth date in the future or before 1900 makes the age unknown
        case
            when validated.birth_at_parsed >= cast('1900-01-01' as {{ dbt.type_timestamp() }})
                and validated.birth_at_parsed <= {{ build_clock() }}
                then cast(validated.birth_at_parsed as date)
        end as birth_date,
        countries.country_code,
        validated.country_code as country_code_raw,
        validated.region,
        validated.city,
        validated.work_city,
        lower(validated.acquisition_channel) as acquisition_channel,
        case
            when validated.customer_type is null then 'individual'
            when lower(validated.customer_type) in ('individual', 'person', 'personal')
                then 'individual'
            when lower(validated.customer_type) in ('company', 'business', 'corporate')
                then 'company'
            else 'other'
        end as customer_type,
        case
            when validated.company_type is null then null
            when lower(replace(replace(validated.company_type, '-', '_'), ' ', '_'))
                in ('government', 'private', 'semi_private')
                then lower(replace(replace(validated.company_type, '-', '_'), ' ', '_'))
            else 'other'
        end as company_type,
        lower(validated.education) as education,
        lower(validated.occupation) as occupation,
        lower(validated.marital_status) as marital_status,
        case
            when validated.children_count_parsed >= 0 then validated.children_count_parsed
        end as children_count,
        case
            when validated.annual_income_parsed >= 0 then validated.annual_income_parsed
        end as annual_income,
        -- a null consent flag means no consent
        coalesce({{ parse_boolean('validated.sms_opt_in') }}, false) as sms_opt_in,
        coalesce({{ parse_boolean('validated.email_opt_in') }}, false) as email_opt_in
    from validated
    left join countries
        on validated.country_code_upper = countries.country_code
)

select * from final
