-- The rates of every day: one row per currency and day (a date in the shop's zone, var
-- shop_timezone) on which an amount in that currency converts into var
-- reporting_currency, with both rates valid that day (stg_reference__currency_rates).
-- An amount is converted as amount * usd_per_unit / reporting_usd_per_unit, exactly
-- (macro to_reporting_currency): the cross rate is never stored rounded. One row per day
-- lets every order find its rate by an equality join on (currency_code, rate_date),
-- however many dated rates there are. The days run from var min_valid_date to the build's
-- clock plus two days: no clean event lies outside (the raw contract, docs/data-path.md).
{%- set reporting = checked_var('reporting_currency') %}
{%- set first_day = "cast('" ~ checked_var('min_valid_date') ~ "' as date)" %}

with

rate_periods as (
    select * from {{ ref('stg_reference__currency_rates') }}
),

{{ day_offsets() }},

clock as (
    -- the build's clock, on the shop's calendar
    select {{ local_date(build_clock()) }} as clock_date
),

days as (
    select
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', first_day) }} as date)
            as rate_date
    from day_offsets
    cross join clock
    -- the macro renders datediff on one long line
    where day_offsets.day_offset <= {{ days_between(first_day, 'clock.clock_date') }} + 2  -- noqa: LT05
),

daily_rates as (
    -- the rate of each currency on each day it has one
    select
        rate_periods.currency_code,
        days.rate_date,
        rate_periods.usd_per_unit,
        rate_periods.rated_from
    from rate_periods
    inner join days
        on
            coalesce(rate_periods.valid_from, cast('0001-01-01' as date)) <= days.rate_date
            and days.rate_date < coalesce(rate_periods.valid_to, cast('9999-12-31' as date))
),

reporting_rates as (
    select
        daily_rates.rate_date,
        daily_rates.usd_per_unit
    from daily_rates
    where daily_rates.currency_code = '{{ reporting }}'
),

final as (
    -- the reporting currency converts at exactly 1 on every day
    select
        daily_rates.currency_code,
        daily_rates.rate_date,
        daily_rates.usd_per_unit,
        coalesce(reporting_rates.usd_per_unit, daily_rates.usd_per_unit)
            as reporting_usd_per_unit
    from daily_rates
    left join reporting_rates
        on daily_rates.rate_date = reporting_rates.rate_date
    where
        daily_rates.currency_code = '{{ reporting }}'
        or (
            reporting_rates.usd_per_unit is not null
            and (daily_rates.rated_from is null or daily_rates.rate_date >= daily_rates.rated_from)
        )
)

select * from final
