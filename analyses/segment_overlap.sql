-- Segment overlap matrix (segments overlap on purpose, docs/segments.md): for every ordered
-- pair of segments, how many customers are in both, and that count as a share of the
-- first segment's members. The diagonal is the segment's size. Compile with
-- `dbt compile --select segment_overlap` and run the SQL in target/compiled/.
{%- set segments = segment_flags() %}

with

profiles as (
    select * from {{ ref('customer_profile') }}
),

memberships as (
    -- one row per customer and segment the customer belongs to
    {%- for segment_name, flag in segments %}
    select
        profiles.customer_id,
        '{{ segment_name }}' as segment
    from profiles
    where profiles.{{ flag }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

segment_names as (
    {%- for segment_name, flag in segments %}
    select '{{ segment_name }}' as segment
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

pairs as (
    select
        memberships_a.segment as segment_a,
        memberships_b.segment as segment_b,
        count(*) as customers_in_both
    from memberships as memberships_a
    inner join memberships as memberships_b
        on memberships_a.customer_id = memberships_b.customer_id
    group by memberships_a.segment, memberships_b.segment
),

sizes as (
    select
        memberships.segment,
        count(*) as member_count
    from memberships
    group by memberships.segment
),

final as (
    select
        names_a.segment as segment_a,
        names_b.segment as segment_b,
        coalesce(pairs.customers_in_both, 0) as customers_in_both,
        case
            when sizes.member_count > 0
                then cast(coalesce(pairs.customers_in_both, 0) as double) / sizes.member_count
        end as share_of_segment_a
    from segment_names as names_a
    cross join segment_names as names_b
    left join pairs
        on
            names_a.segment = pairs.segment_a
            and names_b.segment = pairs.segment_b
    left join sizes
        on names_a.segment = sizes.segment
)

select * from final
order by final.segment_a, final.segment_b
