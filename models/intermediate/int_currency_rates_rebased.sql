-- One row per currency of the rates seed: the factor that turns an amount in that
-- currency into var reporting_currency (usd_per_unit / usd_per_unit of the reporting
-- currency; exactly 1 for the reporting currency itself).
with

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

reporting_rate as (
    select currency_rates.usd_per_unit
    from currency_rates
    where currency_rates.currency_code = '{{ checked_var("reporting_currency") }}'
),

final as (
    select
        currency_rates.currency_code,
        cast(
            case
                when currency_rates.currency_code = '{{ checked_var("reporting_currency") }}'
                    then 1
                else currency_rates.usd_per_unit / reporting_rate.usd_per_unit
            end
            as decimal(18, 12)
        ) as to_reporting_rate
    from currency_rates
    cross join reporting_rate
)

select * from final
