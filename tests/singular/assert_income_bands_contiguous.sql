-- The income bands cover [0, infinity) without gaps or overlaps: in band_order, the first
-- starts at 0, each starts where the previous one ends, and only the last is open.
-- Rows returned are failures.
with

bands as (
    -- global windows on purpose: one row per income band of the seed (a handful)
    select
        income_bands.income_band,
        income_bands.min_income,
        income_bands.max_income,
        lag(income_bands.max_income) over (order by income_bands.band_order)
            as previous_max_income,
        row_number() over (order by income_bands.band_order) as band_position,
        count(*) over () as band_count
    from {{ ref('income_bands') }} as income_bands
)

select
    bands.income_band,
    bands.min_income,
    bands.max_income
from bands
where
    (bands.band_position = 1 and bands.min_income <> 0)
    or (bands.band_position > 1 and bands.min_income <> bands.previous_max_income)
    or (bands.band_position < bands.band_count and bands.max_income is null)
    or (bands.band_position = bands.band_count and bands.max_income is not null)
    or bands.max_income <= bands.min_income
