{#
    The bands of a reference table cover [0, infinity) without gaps or overlaps: in the
    order of `order_by`, the first starts at 0, each starts where the previous one ends
    (`lower_column` inclusive, `upper_column` exclusive) and only the last is open (a null
    upper bound). Rows returned are failures.
#}
{% test contiguous_bands(model, lower_column, upper_column, order_by) %}
with

bands as (
    -- global windows on purpose: one row per band of a reference seed (a handful)
    select
        {{ lower_column }} as lower_bound,
        {{ upper_column }} as upper_bound,
        lag({{ upper_column }}) over (order by {{ order_by }}) as previous_upper_bound,
        row_number() over (order by {{ order_by }}) as band_position,
        count(*) over () as band_count
    from {{ model }}
)

select bands.*
from bands
where
    (bands.band_position = 1 and bands.lower_bound <> 0)
    or (bands.band_position > 1 and bands.lower_bound <> bands.previous_upper_bound)
    or (bands.band_position < bands.band_count and bands.upper_bound is null)
    or (bands.band_position = bands.band_count and bands.upper_bound is not null)
    or bands.upper_bound <= bands.lower_bound
{% endtest %}
