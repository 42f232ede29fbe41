-- segment_summary.member_count equals the row count of each segment table, and the
-- summary has one row per segment table. Rows returned are failures.

with

table_sizes as (
    {%- for segment_name, flag in segment_flags() %}
    select
        '{{ segment_name }}' as segment,
        count(*) as table_rows
    from {{ ref(segment_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    table_sizes.segment,
    table_sizes.table_rows,
    segment_summary.member_count
from table_sizes
full outer join {{ ref('segment_summary') }} as segment_summary
    on table_sizes.segment = segment_summary.segment
where
    segment_summary.segment is null
    or table_sizes.segment is null
    or segment_summary.member_count != table_sizes.table_rows
