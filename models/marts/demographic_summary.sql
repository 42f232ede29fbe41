-- Demographic distributions for charts (docs/segments.md), in one long table: customers,
-- buyers and revenue per age band x gender (the full 8 x 4 grid, empty cells included), per
-- education and per income band (every band of the age_bands and income_bands reference
-- seeds, plus unknown). Each row says which breakdown it belongs to, its labels and its
-- position on the chart axis.
{%- set genders = ['female', 'male', 'other', 'unknown'] %}

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

resolved as (
    -- the build's as_of, also when the population is empty (no profile to read it from)
    select * from {{ ref('int_as_of_resolved') }}
),

income_bands as (
    select * from {{ ref('income_bands') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

age_band_axis as (
    select
        age_bands.age_band,
        age_bands.band_order as axis_order
    from age_bands
    union all
    select
        'unknown' as age_band,
        max(age_bands.band_order) + 1 as axis_order
    from age_bands
),

gender_axis as (
    {%- for gender in genders %}
    select
        '{{ gender }}' as gender,
        {{ loop.index }} as axis_order
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

income_axis as (
    select
        income_bands.income_band,
        income_bands.band_order as axis_order
    from income_bands
    union all
    select
        'unknown' as income_band,
        max(income_bands.band_order) + 1 as axis_order
    from income_bands
),

cells as (
    -- every breakdown cell with its labels and axis order
    select
        'age_band_x_gender' as breakdown,
        age_band_axis.age_band as group_value,
        gender_axis.gender as subgroup_value,
        age_band_axis.axis_order * 10 + gender_axis.axis_order as axis_order
    from age_band_axis
    cross join gender_axis
    union all
    select
        'income_band' as breakdown,
        income_axis.income_band as group_value,
        'all' as subgroup_value,
        income_axis.axis_order
    from income_axis
    union all
    select
        'education' as breakdown,
        education_values.education as group_value,
        'all' as subgroup_value,
        -- alphabetical, unknown last; a global window on purpose: one row per distinct
        -- education value (a categorical column: a few dozen values at most)
        row_number() over (
            order by
                case when education_values.education = 'unknown' then 1 else 0 end,
                education_values.education
        ) as axis_order
    from (select distinct profiles.education from profiles) as education_values
),

customer_cells as (
    -- each customer in the one cell of each breakdown it belongs to
    select
        'age_band_x_gender' as breakdown,
        profiles.age_band as group_value,
        profiles.gender as subgroup_value,
        profiles.order_count,
        profiles.lifetime_value
    from profiles
    union all
    select
        'income_band' as breakdown,
        profiles.income_band as group_value,
        'all' as subgroup_value,
        profiles.order_count,
        profiles.lifetime_value
    from profiles
    union all
    select
        'education' as breakdown,
        profiles.education as group_value,
        'all' as subgroup_value,
        profiles.order_count,
        profiles.lifetime_value
    from profiles
),

cell_totals as (
    select
        customer_cells.breakdown,
        customer_cells.group_value,
        customer_cells.subgroup_value,
        count(*) as customer_count,
        sum(case when customer_cells.order_count >= 1 then 1 else 0 end) as buyer_count,
        sum(customer_cells.lifetime_value) as revenue
    from customer_cells
    group by customer_cells.breakdown, customer_cells.group_value, customer_cells.subgroup_value
),

population as (
    select count(*) as customer_count
    from profiles
),

final as (
    select
        cells.breakdown,
        cells.group_value,
        cells.subgroup_value,
        cast(cells.axis_order as {{ dbt.type_bigint() }}) as axis_order,
        cast(coalesce(cell_totals.customer_count, 0) as {{ dbt.type_bigint() }})
            as customer_count,
        cast(coalesce(cell_totals.buyer_count, 0) as {{ dbt.type_bigint() }}) as buyer_count,
        cast(coalesce(cell_totals.revenue, 0) as decimal(18, 2)) as revenue,
        case
            when population.customer_count > 0
                then cast(coalesce(cell_totals.customer_count, 0) as double)
                    / population.customer_count
        end as share_of_customers,
        (select resolved.as_of from resolved) as as_of
    from cells
    cross join population
    left join cell_totals
        on
            cells.breakdown = cell_totals.breakdown
            and cells.group_value = cell_totals.group_value
            and cells.subgroup_value = cell_totals.subgroup_value
)

select * from final
