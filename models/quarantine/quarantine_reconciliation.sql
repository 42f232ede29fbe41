-- Per raw table: raw rows = clean rows + quarantined rows + rows merged as duplicates.
-- Raw rows are counted on the raw relation itself, so a join that loses or repeats rows
-- anywhere between raw and staging shows up here (and fails the test on this model).
{%- set contract = raw_contract() %}

with

{% for table_name, spec in contract.items() %}
{{ table_name }}_counts as (
    select
        '{{ table_name }}' as source_table,
        (select count(*) from {{ raw_table(table_name) }}) as raw_rows,
        (select count(*) from {{ ref('stg_shop__' ~ table_name) }}) as clean_rows,
        (
            select count(*) from {{ ref('quarantined_rows') }} as quarantined
            where quarantined.source_table = '{{ table_name }}'
        ) as quarantined_rows,
        (
            select count(*) - count(distinct valid_rows.{{ spec.key }})
            from {{ ref('base_shop__' ~ table_name) }} as valid_rows
            where valid_rows.reject_reason is null
        ) as merged_duplicate_rows
),

{% endfor %}
final as (
    {%- for table_name in contract %}
    select * from {{ table_name }}_counts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
