{#
    Two CTEs, `digits` and `day_offsets`: day_offsets.day_offset runs over 0..99999 (about
    273 years of days), built from cross joins of ten digits, so that a model can make one
    row per day with dbt.dateadd on any engine (no generate_series on Spark's SQL, no
    sequence on DuckDB's). The caller filters the offsets it needs. Used as
    `with {{ day_offsets() }}, next_cte as (...)`.
#}
{% macro day_offsets() %}
digits as (
    {%- for digit in range(10) %}
    select {{ digit }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
)
{%- endmacro %}
