-- Every rejected raw row of every raw table, with its table, its key (the trimmed id,
-- null when the id itself was missing), the reason code and the row's values.
{%- set contract = raw_contract() %}

with

{% for table_name, spec in contract.items() %}
{{ table_name }}_rejected as (
    select
        '{{ table_name }}' as source_table,
        base_rows.{{ spec.key }} as record_key,
        base_rows.reject_reason as reason_code,
        base_rows.record_text as raw_record
    from {{ ref('base_shop__' ~ table_name) }} as base_rows
    where base_rows.reject_reason is not null
),

{% endfor %}
final as (
    {%- for table_name in contract %}
    select * from {{ table_name }}_rejected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
