{#
    Deterministic quantile bucket from a rank, identical on every engine and for ties:
    bucket = floor(buckets * below / total) + 1, in 1..buckets, where `below` is the
    number of rows strictly worse than this one (rank() - 1, so ties share a bucket) and
    `total` the number of rows ranked. Computed with integer comparisons only
    (below * buckets >= k * total for k = 1 .. buckets - 1), no division, no ntile.
#}
{% macro rank_bucket(below, total, buckets) -%}
    (
        1
        {%- for k in range(1, buckets) %}
        + case when {{ below }} * {{ buckets }} >= {{ k }} * {{ total }} then 1 else 0 end
        {%- endfor %}
    )
{%- endmacro %}
