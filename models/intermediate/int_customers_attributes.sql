-- Who each customer is (docs/segments.md "The customer picture"): demographics at as_of, customer
-- and company type, normalized acquisition channel, primary device and the SHA-256 of the
-- e-mail. One row per member of the population; no raw e-mail or phone leaves this model.
with

population as (
    select * from {{ ref('int_population') }}
),

customer_sessions as (
    select * from {{ ref('int_customers_sessions') }}
),

channel_map as (
    select * from {{ ref('acquisition_channel_map') }}
),

income_bands as (
    select * from {{ ref('income_bands') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

population_aged as (
    -- full years at as_of's date in the shop's zone; a birth date after that date is unknown
    select
        population.*,
        case
            when population.birth_date <= {{ local_date('population.as_of') }}
                then {{ full_years_between('population.birth_date',
                    local_date('population.as_of')) }}
        end as age
    from population
),

final as (
    select
        population_aged.customer_id,
        population_aged.as_of,
        population_aged.age,
        -- no band for an unknown age or income: the band joins find none
        coalesce(age_bands.age_band, 'unknown') as age_band,
        coalesce(population_aged.gender, 'unknown') as gender,
        -- a possessive is dropped so that bachelor's and bachelor chart together
        coalesce(replace(population_aged.education, chr(39) || 's', ''), 'unknown') as education,
        coalesce(population_aged.occupation, 'unknown') as occupation,
        coalesce(population_aged.marital_status, 'unknown') as marital_status,
        population_aged.children_count,
        population_aged.annual_income,
        coalesce(income_bands.income_band, 'unknown') as income_band,
        population_aged.customer_type,
        population_aged.company_type,
        case
            when population_aged.acquisition_channel is null then 'unknown'
            else coalesce(channel_map.acquisition_channel, 'other')
        end as acquisition_channel,
        population_aged.acquisition_channel as acquisition_channel_raw,
        customer_sessions.primary_device,
        case
            when population_aged.is_email_valid
                then {{ sha256_hex('population_aged.email') }}
        end as email_sha256
    from population_aged
    left join channel_map
        on population_aged.acquisition_channel = channel_map.raw_value
    left join age_bands
        on
            population_aged.age >= age_bands.min_age
            and (age_bands.max_age is null or population_aged.age < age_bands.max_age)
    left join income_bands
        on
            population_aged.annual_income >= income_bands.min_income
            and (
                income_bands.max_income is null
                or population_aged.annual_income < income_bands.max_income
            )
    left join customer_sessions
        on population_aged.customer_id = customer_sessions.customer_id
)

select * from final
