-- var reporting_currency must have a rate in the currency_rates seed, or every amount
-- would be lost. Returns a row (a failure) when it has none. validate_vars() checks the
-- seed's file before anything runs; this checks the loaded table.
select '{{ checked_var("reporting_currency") }}' as missing_currency
where not exists (
        select 1
        from {{ ref('currency_rates') }} as currency_rates
        where currency_rates.currency_code = '{{ checked_var("reporting_currency") }}'
    )
