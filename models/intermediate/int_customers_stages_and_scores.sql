-- Lifecycle stage, spend tier and RFM scores (docs/segments.md "The customer picture",
-- "RFM groups"). Every ranking is deterministic with ties: a buyer's bucket is
-- floor(buckets * below / buyers) + 1, where `below` counts the buyers strictly worse
-- (rank() - 1), so equal values always share a bucket and no engine-specific ntile is
-- involved (macro rank_bucket, integer comparisons only). Non-buyers get no tier or score.
with

customers as (
    select * from {{ ref('int_customers_metrics') }}
),

buyers as (
    select * from customers
    where customers.order_count >= 1
),

buyer_total as (
    select count(*) as buyer_count
    from buyers
),

-- buyers with a strictly lower lifetime value / more days since the last order / fewer
-- orders, per distinct value (rank() - 1 without a window over all buyers: rows_below)
value_ranks as {{ rows_below('buyers', 'buyers.lifetime_value') }},

recency_ranks as {{ rows_below('buyers', '0 - buyers.days_since_last_order') }},

frequency_ranks as {{ rows_below('buyers', 'buyers.order_count') }},

buyers_ranked as (
    select
        buyers.customer_id,
        buyer_total.buyer_count,
        value_ranks.rows_below as below_on_value,
        recency_ranks.rows_below as below_on_recency,
        frequency_ranks.rows_below as below_on_frequency
    from buyers
    cross join buyer_total
    inner join value_ranks
        on buyers.lifetime_value = value_ranks.ranked_value
    inner join recency_ranks
        on 0 - buyers.days_since_last_order = recency_ranks.ranked_value
    inner join frequency_ranks
        on buyers.order_count = frequency_ranks.ranked_value
),

scores as (
    select
        buyers_ranked.customer_id,
        {{ rank_bucket('buyers_ranked.below_on_value', 'buyers_ranked.buyer_count', 4) }}
            as spend_tier,
        {{ rank_bucket('buyers_ranked.below_on_recency', 'buyers_ranked.buyer_count', 5) }}
            as recency_score,
        {{ rank_bucket('buyers_ranked.below_on_frequency', 'buyers_ranked.buyer_count', 5) }}
            as frequency_score,
        {{ rank_bucket('buyers_ranked.below_on_value', 'buyers_ranked.buyer_count', 5) }}
            as monetary_score
    from buyers_ranked
),

scores_combined as (
    -- FM = frequency and monetary together: their mean rounded half up, 1..5
    select
        scores.*,
        case
            when scores.frequency_score + scores.monetary_score >= 9 then 5
            when scores.frequency_score + scores.monetary_score >= 7 then 4
            when scores.frequency_score + scores.monetary_score >= 5 then 3
            when scores.frequency_score + scores.monetary_score >= 3 then 2
            else 1
        end as frequency_monetary_score
    from scores
),

final as (
    select
        customers.customer_id,
        case
            when customers.order_count = 0 then 'prospect'
            when customers.first_order_at
                > {{ shift_days(-int_var('new_customer_days'), 'customers.as_of') }}
                then 'new'
            when customers.last_order_at
                > {{ shift_days(-int_var('active_days'), 'customers.as_of') }}
                then 'active'
            else 'lapsed'
        end as lifecycle_stage,
        cast(scores_combined.spend_tier as {{ dbt.type_bigint() }}) as spend_tier,
        cast(scores_combined.recency_score as {{ dbt.type_bigint() }}) as recency_score,
        cast(scores_combined.frequency_score as {{ dbt.type_bigint() }}) as frequency_score,
        cast(scores_combined.monetary_score as {{ dbt.type_bigint() }}) as monetary_score,
        cast(scores_combined.frequency_monetary_score as {{ dbt.type_bigint() }})
            as frequency_monetary_score,
        -- the score-to-group grid of docs/segments.md ("RFM groups"); R = recency_score,
        -- FM = frequency_monetary_score, each rule reads its cells of the grid
        case
            when scores_combined.customer_id is null then 'prospects'
            when
                scores_combined.recency_score = 5
                and scores_combined.frequency_monetary_score >= 4
                then 'champions'
            when
                scores_combined.recency_score in (3, 4)
                and scores_combined.frequency_monetary_score >= 4
                then 'loyal'
            when
                scores_combined.recency_score >= 4
                and scores_combined.frequency_monetary_score in (2, 3)
                then 'potential_loyalists'
            when scores_combined.recency_score = 5 then 'new'
            when scores_combined.recency_score = 4 then 'promising'
            when
                scores_combined.recency_score = 3
                and scores_combined.frequency_monetary_score = 3
                then 'needs_attention'
            when scores_combined.recency_score = 3 then 'about_to_sleep'
            when scores_combined.frequency_monetary_score = 5 then 'cannot_lose'
            when scores_combined.frequency_monetary_score >= 3 then 'at_risk'
            when
                scores_combined.recency_score = 1
                and scores_combined.frequency_monetary_score = 1
                then 'lost'
            else 'hibernating'
        end as rfm_group
    from customers
    left join scores_combined
        on customers.customer_id = scores_combined.customer_id
)

select * from final
