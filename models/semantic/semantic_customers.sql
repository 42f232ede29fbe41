-- One row per customer of the population, shaped for the semantic layer (MetricFlow):
-- the customer profile's measures with the dimensions the metrics are cut by (country,
-- acquisition channel) and the as_of date as the time dimension. The channel comes from
-- marts.customer_profile once it carries one; until then from the clean staging customers
-- (lower-cased there), so the metrics keep the same names before and after. Gender and
-- education (no contact data) come along from staging for the demographic cuts.
{%- set profile_columns = [] %}
{%- if execute %}
{%- for column in adapter.get_columns_in_relation(ref('customer_profile')) %}
{%- do profile_columns.append(column.name | lower) %}
{%- endfor %}
{%- endif %}
{%- set profile_has_channel = 'acquisition_channel' in profile_columns %}

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

attributes as (
    select
        customers.customer_id,
        customers.acquisition_channel,
        customers.gender,
        customers.education
    from {{ ref('stg_shop__customers') }} as customers
),

final as (
    select
        profiles.customer_id,
        cast(profiles.as_of as date) as as_of_date,
        coalesce(profiles.country_code, 'unknown') as country_code,
        coalesce(
            {{ 'profiles' if profile_has_channel else 'attributes' }}.acquisition_channel,
            'unknown'
        ) as acquisition_channel,
        coalesce(attributes.gender, 'unknown') as gender,
        coalesce(attributes.education, 'unknown') as education,
        case when profiles.order_count >= 1 then 1 else 0 end as is_buyer,
        profiles.order_count,
        profiles.lifetime_value
    from profiles
    left join attributes
        on profiles.customer_id = attributes.customer_id
)

select * from final
