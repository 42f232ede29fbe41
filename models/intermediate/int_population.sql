-- The customer population: every clean customer registered at or before as_of.
-- A view: a filter over stg_shop__customers, whose readers each take a few of its columns;
-- a copy of every column of every customer cost more to write than the filter to repeat.
{{ config(materialized='view') }}

with

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

final as (
    select
        customers.*,
        as_of.as_of
    from customers
    cross join as_of
    where customers.registered_at <= as_of.as_of
)

select * from final
