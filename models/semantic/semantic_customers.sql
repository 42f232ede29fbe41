-- One row per customer of the population, shaped for the semantic layer (MetricFlow):
-- the customer profile's measures with the dimensions the metrics are cut by, every one of
-- them read from marts.customer_profile, the same normalized columns the marts and the
-- dashboard show (one truth per number), and the as_of date in the shop's time zone as the
-- time dimension.
with

profiles as (
    select * from {{ ref('customer_profile') }}
),

final as (
    select
        profiles.customer_id,
        {{ local_date('profiles.as_of') }} as as_of_date,
        coalesce(profiles.country_code, 'unknown') as country_code,
        coalesce(profiles.acquisition_channel, 'unknown') as acquisition_channel,
        coalesce(profiles.gender, 'unknown') as gender,
        coalesce(profiles.education, 'unknown') as education,
        case when profiles.order_count >= 1 then 1 else 0 end as is_buyer,
        profiles.order_count,
        profiles.lifetime_value
    from profiles
)

select * from final
