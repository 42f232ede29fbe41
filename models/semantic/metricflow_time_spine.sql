-- One row per day from 2000-01-01 to 2039-12-31: the time spine MetricFlow needs to query
-- metrics over time. Built from digit cross joins (portable: DuckDB and Spark).
with

digits as (
    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9
),

day_offsets as (
    select
        ten_thousands.digit * 10000
        + thousands.digit * 1000
        + hundreds.digit * 100
        + tens.digit * 10
        + ones.digit as day_offset
    from digits as ten_thousands
    cross join digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones
),

final as (
    select
        cast(
            {{ dbt.dateadd('day', 'day_offsets.day_offset', "cast('2000-01-01' as date)") }}
            as date
        ) as date_day
    from day_offsets
    where day_offsets.day_offset < 14610
)

select * from final
