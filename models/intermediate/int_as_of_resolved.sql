-- The one instant every metric is computed at (docs/vars.md "The point in time"):
-- var as_of when set (a bare date is midnight at its start), else the latest event time
-- among clean rows (registered_at, ordered_at, started_at, carts' created_at); a shop
-- with no clean event at all (every raw table empty) is computed as of the build's clock.
-- With it, how every figure reads: the shop's time zone and the reporting currency (the
-- vars).
-- The same parents whether or not var as_of is set (its unit tests mock them):
-- depends_on: {{ ref('stg_shop__customers') }}, {{ ref('stg_shop__orders') }}
-- depends_on: {{ ref('stg_shop__sessions') }}, {{ ref('stg_shop__carts') }}
{%- set as_of = as_of_literal() %}

{% if as_of is not none %}
with

final as (
    select
        {{ as_of }} as as_of,
        '{{ shop_timezone() }}' as shop_timezone,
        '{{ checked_var("reporting_currency") }}' as reporting_currency
)

select * from final
{% else %}
with

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

sessions as (
    select * from {{ ref('stg_shop__sessions') }}
),

carts as (
    select * from {{ ref('stg_shop__carts') }}
),

event_times as (
    select max(customers.registered_at) as latest_event_at from customers
    union all
    select max(orders.ordered_at) as latest_event_at from orders
    union all
    select max(sessions.started_at) as latest_event_at from sessions
    union all
    select max(carts.created_at) as latest_event_at from carts
),

final as (
    select
        coalesce(max(event_times.latest_event_at), {{ build_clock() }}) as as_of,
        '{{ shop_timezone() }}' as shop_timezone,
        '{{ checked_var("reporting_currency") }}' as reporting_currency
    from event_times
)

select * from final
{% endif %}
