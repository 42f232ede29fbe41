-- One row per day from 2000-01-01 to 2039-12-31: the time spine MetricFlow needs to query
-- metrics over time (macro day_offsets: portable, DuckDB and Spark).
with

{{ day_offsets() }},

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
