-- Every VIP is a buyer at or above the VIP threshold, and no buyer left out of the VIP
-- table has a lifetime value at or above the lowest VIP's: the table holds exactly the
-- top of the ranking, ties included. Rows returned are failures.
with

vip as (
    select * from {{ ref('vip') }}
),

profiles as (
    select * from {{ ref('customer_profile') }}
),

lowest_vip as (
    select min(vip.lifetime_value) as lowest_value from vip
),

below_threshold as (
    select
        vip.customer_id,
        'vip below its threshold or not a buyer' as failure
    from vip
    where vip.lifetime_value < vip.vip_threshold or vip.order_count < 1
),

left_out as (
    select
        profiles.customer_id,
        'buyer at or above the lowest VIP but not VIP' as failure
    from profiles
    cross join lowest_vip
    where
        profiles.order_count >= 1
        and not profiles.is_vip
        and profiles.lifetime_value >= lowest_vip.lowest_value
)

select * from below_threshold
union all
select * from left_out
