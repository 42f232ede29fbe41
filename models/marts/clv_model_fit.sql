{{ config(enabled=clv_is_available()) }}

-- The shop's lifetime-value models as fitted at this build (one row): BG/NBD (repeat
-- purchases, P(alive)) and Gamma-Gamma (spend) parameters, log-likelihoods, whether each
-- fit converged, how many customers it saw, and why a model is missing. DuckDB only: the
-- fit is a dbt Python model (see macro clv_is_available).
with

fitted as (
    select * from {{ ref('int_clv_models_fitted') }}
),

as_of_resolved as (
    select * from {{ ref('int_as_of_resolved') }}
),

population as (
    select * from {{ ref('int_population') }}
),

customers as (
    select count(*) as customer_count
    from population
),

final as (
    select
        as_of_resolved.as_of,
        customers.customer_count,
        fitted.status,
        fitted.buyer_count,
        fitted.repeat_buyer_count,
        fitted.bgnbd_r,
        fitted.bgnbd_alpha,
        fitted.bgnbd_a,
        fitted.bgnbd_b,
        fitted.bgnbd_log_likelihood,
        fitted.bgnbd_converged,
        fitted.bgnbd_iterations,
        fitted.bgnbd_distinct_profiles,
        fitted.bgnbd_null_reason,
        fitted.gg_p,
        fitted.gg_q,
        fitted.gg_gamma,
        fitted.gg_log_likelihood,
        fitted.gg_converged,
        fitted.gg_iterations,
        fitted.gg_customer_count,
        fitted.gg_null_reason,
        fitted.notes,
        fitted.failure,
        cast({{ int_var('clv_horizon_days') }} as {{ dbt.type_bigint() }}) as clv_horizon_days
    from fitted
    cross join as_of_resolved
    cross join customers
)

select * from final
