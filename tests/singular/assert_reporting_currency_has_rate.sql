-- var reporting_currency must have a rate in the currency_rates seed, or every amount
-- would be lost. Returns a row (a failure) when it has none.
select '{{ var("reporting_currency") | upper }}' as missing_currency
where not exists (
        select 1
        from {{ ref('currency_rates') }} as currency_rates
        where currency_rates.currency_code = '{{ var("reporting_currency") | upper }}'
    )
