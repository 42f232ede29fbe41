-- How to read every figure of the marts, in one row: the instant they are computed at
-- (as_of, UTC, and the same instant on the shop's wall clock), the shop's time zone in
-- which calendar days are counted (var shop_timezone) and the currency of every amount
-- (var reporting_currency), as int_as_of_resolved resolved them, and the share of customers
-- that makes the channels' Pareto core (var pareto_core_share). The dashboard labels its
-- numbers from it.
{%- set core = fraction_var('pareto_core_share') %}

with

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

final as (
    select
        as_of.as_of,
        {{ utc_to_local('as_of.as_of') }} as as_of_local,
        {{ local_date('as_of.as_of') }} as as_of_date,
        as_of.shop_timezone,
        as_of.reporting_currency,
        cast(
            cast({{ core.numerator }} as decimal(9, 4)) / {{ core.denominator }}
            as decimal(9, 4)
        ) as pareto_core_share
    from as_of
)

select * from final
