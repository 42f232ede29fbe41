-- Per raw table: raw rows = clean rows + quarantined rows + rows merged as duplicates.
-- Raw rows are counted on the raw relation itself, clean rows and merged rows on the clean
-- relation (each row's _versions), quarantined rows in the quarantine: a row that is lost
-- or counted twice anywhere between raw and staging, or a raw row an incremental run did
-- not read, shows up here (and fails the test on this model).
{%- set contract = raw_contract() %}

with

{% for table_name, spec in contract.items() %}
{{ table_name }}_counts as (
    select
        '{{ table_name }}' as source_table,
        (select count(*) from {{ raw_table(table_name) }})
        + (
            select count(*) from {{ ref('stg_shop__malformed_rows') }} as malformed
            where malformed.source_table = '{{ table_name }}'
        ) as raw_rows,
        (select count(*) from {{ ref('stg_shop__' ~ table_name) }}) as clean_rows,
        (
            select count(*) from {{ ref('quarantined_rows') }} as quarantined
            where quarantined.source_table = '{{ table_name }}'
        ) as quarantined_rows,
        (
            select coalesce(sum(clean._versions - 1), 0)
            from {{ ref('stg_shop__' ~ table_name) }} as clean
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
