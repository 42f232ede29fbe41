-- The rates seed as periods: one row per currency and rate, valid from valid_from (a date
-- in the shop's zone; null = since always) until the currency's next valid_from (null =
-- still valid). rated_from is the first day an amount in the currency can be converted
-- into var reporting_currency (both currencies have a rate then; null = always, and
-- always for the reporting currency itself); rated_from_at is its midnight in the shop's
-- zone as a UTC instant, what the staging checks compare event times with.
{%- set reporting = checked_var('reporting_currency') %}

with

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

periods as (
    select
        currency_rates.currency_code,
        currency_rates.valid_from,
        lead(currency_rates.valid_from) over (
            partition by currency_rates.currency_code
            order by currency_rates.valid_from asc nulls first
        ) as valid_to,
        currency_rates.usd_per_unit
    from currency_rates
),

first_days as (
    -- the first day with a rate: null when one of the currency's rates has no valid_from
    select
        currency_rates.currency_code,
        case
            when count(currency_rates.valid_from) = count(*)
                then min(currency_rates.valid_from)
        end as first_valid_from
    from currency_rates
    group by currency_rates.currency_code
),

reporting_first_day as (
    select first_days.first_valid_from
    from first_days
    where first_days.currency_code = '{{ reporting }}'
),

rated as (
    select
        first_days.currency_code,
        case
            when first_days.currency_code = '{{ reporting }}' then null
            when first_days.first_valid_from is null then reporting_first_day.first_valid_from
            when reporting_first_day.first_valid_from is null then first_days.first_valid_from
            when first_days.first_valid_from > reporting_first_day.first_valid_from
                then first_days.first_valid_from
            else reporting_first_day.first_valid_from
        end as rated_from
    from first_days
    cross join reporting_first_day
),

final as (
    select
        periods.currency_code,
        periods.valid_from,
        periods.valid_to,
        periods.usd_per_unit,
        rated.rated_from,
        {{ local_to_utc('cast(rated.rated_from as ' ~ dbt.type_timestamp() ~ ')') }}
            as rated_from_at
    from periods
    inner join rated
        on periods.currency_code = rated.currency_code
)

select * from final
