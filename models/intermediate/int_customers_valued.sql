-- The metrics of int_customers_metrics plus lifetime value (docs/lifetime-value.md),
-- one row per member of the population: the model's inputs (int_customers_clv_prepared)
-- and, on DuckDB, its predictions (int_customers_clv_predicted), money rounded to cents,
-- with predicted_spend_tier and the reason any prediction is null. On engines without dbt
-- Python models (Spark) the inputs are computed all the same and the predictions are null
-- with reason 'clv_duckdb_only'.
{%- set clv = clv_is_available() %}

with

customers as (
    select * from {{ ref('int_customers_metrics') }}
),

prepared as (
    select * from {{ ref('int_customers_clv_prepared') }}
),

{% if clv -%}
predicted as (
    select * from {{ ref('int_customers_clv_predicted') }}
),
{%- else -%}
predicted as (
    -- CLV is DuckDB-only (macro clv_is_available): no predictions, one reason for all
    select
        prepared.customer_id,
        cast(null as double) as expected_orders_next_horizon,
        cast(null as double) as probability_alive,
        cast(null as double) as expected_order_value,
        cast(null as double) as predicted_clv,
        cast(null as double) as predicted_value_lost,
        'clv_duckdb_only' as clv_null_reason
    from prepared
),
{%- endif %}

valued as (
    select
        customers.*,
        prepared.repeat_purchase_days,
        prepared.repeat_recency_days,
        prepared.days_since_first_purchase,
        prepared.mean_repeat_order_value,
        predicted.expected_orders_next_horizon,
        predicted.probability_alive,
        cast(round(predicted.expected_order_value, 2) as decimal(18, 2)) as expected_order_value,
        cast(round(predicted.predicted_clv, 2) as decimal(18, 2)) as predicted_clv,
        cast(round(predicted.predicted_value_lost, 2) as decimal(18, 2)) as predicted_value_lost,
        case
            when prepared.customer_id is null then 'no_counted_order'
            else predicted.clv_null_reason
        end as clv_null_reason
    from customers
    left join prepared
        on customers.customer_id = prepared.customer_id
    left join predicted
        on customers.customer_id = predicted.customer_id
),

-- buyers with a prediction, by predicted_clv in cents (ties share a tier, as spend_tier)
clv_buyers as (
    select
        valued.customer_id,
        valued.predicted_clv
    from valued
    where valued.predicted_clv is not null
),

clv_buyer_total as (
    select count(*) as ranked_count
    from clv_buyers
),

-- buyers with a strictly lower predicted_clv, per distinct value (rank() - 1 without a
-- window over all buyers: rows_below)
clv_value_ranks as {{ rows_below('clv_buyers', 'clv_buyers.predicted_clv') }},

clv_ranked as (
    select
        clv_buyers.customer_id,
        clv_buyer_total.ranked_count,
        clv_value_ranks.rows_below as below_on_predicted_clv
    from clv_buyers
    cross join clv_buyer_total
    inner join clv_value_ranks
        on clv_buyers.predicted_clv = clv_value_ranks.ranked_value
),

clv_tiers as (
    select
        clv_ranked.customer_id,
        {{ rank_bucket('clv_ranked.below_on_predicted_clv', 'clv_ranked.ranked_count', 4) }}
            as predicted_spend_tier
    from clv_ranked
),

final as (
    select
        valued.*,
        cast(clv_tiers.predicted_spend_tier as {{ dbt.type_bigint() }}) as predicted_spend_tier,
        cast({{ int_var('clv_horizon_days') }} as {{ dbt.type_bigint() }}) as clv_horizon_days
    from valued
    left join clv_tiers
        on valued.customer_id = clv_tiers.customer_id
)

select * from final
