{#
    For each distinct value of `value` (an expression over the CTE `relation`): the number
    of rows of `relation` whose value is strictly lower, i.e. rank() - 1 over the whole
    relation, as a subquery with columns (ranked_value, rows_below). Rank descending by
    passing the negated value.

    A plain rank() over all rows has no partition: Spark moves every row to one task.
    Here the values are grouped first and put into buckets that preserve their order
    (value_bucket below), so the per-value windows are partitioned by bucket, and the one
    global window runs over the buckets only: at most ~3,600 rows (sign x up to 19
    integer digits x the first two digits), whatever the number of rows. Exact on every
    engine: the bucket only has to be non-decreasing in the value.
#}
{% macro rows_below(relation, value) -%}
    {%- set magnitude = 'cast(cast(floor(abs(' ~ value ~ ')) as ' ~ dbt.type_bigint() ~ ') as '
        ~ dbt.type_string() ~ ')' -%}
    {#- integer digits * 100 + the first two of them: non-decreasing in the magnitude;
        negative values mirrored below zero -#}
    {%- set bucket = '(case when ' ~ value ~ ' < 0 then -1 else 1 end) * (length(' ~ magnitude
        ~ ') * 100 + cast(substr(' ~ magnitude ~ ', 1, 2) as ' ~ dbt.type_int() ~ '))' -%}
    (
        select
            value_counts.ranked_value,
            cast(
                buckets_below.bucket_rows_below
                + sum(value_counts.value_rows) over (
                    partition by value_counts.value_bucket
                    order by value_counts.ranked_value asc
                    rows between unbounded preceding and current row
                )
                - value_counts.value_rows
                as {{ dbt.type_bigint() }}
            ) as rows_below
        from (
            select
                bucketed.ranked_value,
                bucketed.value_bucket,
                count(*) as value_rows
            from (
                select
                    {{ value }} as ranked_value,
                    {{ bucket }} as value_bucket
                from {{ relation }}
            ) as bucketed
            group by bucketed.ranked_value, bucketed.value_bucket
        ) as value_counts
        inner join (
            select
                bucket_counts.value_bucket,
                -- a global window on purpose: one row per bucket, at most ~3,600 rows
                sum(bucket_counts.bucket_rows) over (
                    order by bucket_counts.value_bucket asc
                    rows between unbounded preceding and current row
                ) - bucket_counts.bucket_rows as bucket_rows_below
            from (
                select
                    bucketed_rows.value_bucket,
                    count(*) as bucket_rows
                from (
                    select {{ bucket }} as value_bucket
                    from {{ relation }}
                ) as bucketed_rows
                group by bucketed_rows.value_bucket
            ) as bucket_counts
        ) as buckets_below
            on value_counts.value_bucket = buckets_below.value_bucket
    )
{%- endmacro %}
