-- Marts that BI reads hold no raw e-mail or phone: no text value of any relation in the
-- segments and marts schemas equals a customer's e-mail, phone or phone digits, or
-- looks like an e-mail address. Rows returned are failures.
{%- set relations = [] %}
{%- for segment_name, flag in segment_flags() %}{% do relations.append(segment_name) %}{% endfor %}
{%- do relations.extend(['geographic_summary',
    'customer_profile', 'segment_summary', 'customer_category_affinity', 'channel_performance',
    'demographic_summary', 'rfm_summary', 'segment_membership_history',
    'segment_transitions', 'clv_model_fit']) %}

with

contacts as (
    select customers.email as contact_value from {{ ref('stg_shop__customers') }} as customers
    where customers.email is not null
    union all
    select customers.phone from {{ ref('stg_shop__customers') }} as customers
    where customers.phone is not null
    union all
    select customers.phone_digits from {{ ref('stg_shop__customers') }} as customers
    where customers.phone_digits is not null
),

mart_values as (
    {%- for relation_name in relations %}
    {%- set relation = ref(relation_name) %}
    {%- set text_columns = [] %}
    {%- if execute %}
    {%- for column in adapter.get_columns_in_relation(relation) %}
    {%- if column.is_string() %}{% do text_columns.append(column.name) %}{% endif %}
    {%- endfor %}
    {%- endif %}
    {%- for column_name in text_columns %}
    select
        '{{ relation_name }}.{{ column_name }}' as mart_column,
        {{ column_name }} as text_value
    from {{ relation }}
    union all
    {%- endfor %}
    {%- endfor %}
    select
        'none' as mart_column,
        cast(null as {{ dbt.type_string() }}) as text_value
)

select
    mart_values.mart_column,
    mart_values.text_value
from mart_values
left join contacts
    on mart_values.text_value = contacts.contact_value
where contacts.contact_value is not null or mart_values.text_value like '%@%.%'
