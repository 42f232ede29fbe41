-- One row per clean order: the latest valid version of each order_id.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_id',
    on_schema_change='fail'
) }}
{%- set changed_keys = none %}
{%- if is_incremental() %}
    {#- the ids with a base row loaded since this model last ran #}
    {%- set changed_keys -%}
        select changed.order_id
        from {{ ref('base_shop__orders') }} as changed
        where changed._loaded_at > (select max(loaded._loaded_at) from {{ this }} as loaded)
            and changed.order_id is not null
    {%- endset %}
{%- endif %}
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__orders'), 'order_id',
        event_column='ordered_at', version_column='updated_at',
        keys_sql=changed_keys) }}
),

final as (
    select
        latest.order_id,
        latest.customer_id,
        latest.ordered_at,
        latest.updated_at,
        latest.status,
        latest.is_purchase,
        latest.currency_code,
        latest.order_total,
        latest.discount_total,
        latest.coupon_code,
        latest.has_coupon,
        latest.sales_channel,
        -- when the base rows were last loaded (the incremental batch marker)
        (
            select max(loads._loaded_at) from {{ ref('base_shop__orders') }} as loads
        ) as _loaded_at
    from latest
)

select * from final
