-- One row per clean cart: the latest valid version of each cart_id.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='cart_id',
    on_schema_change='fail'
) }}
{%- set changed_keys = none %}
{%- if is_incremental() %}
    {#- the ids with a base row loaded since this model last ran #}
    {%- set changed_keys -%}
        select changed.cart_id
        from {{ ref('base_shop__carts') }} as changed
        where changed._loaded_at > (select max(loaded._loaded_at) from {{ this }} as loaded)
            and changed.cart_id is not null
    {%- endset %}
{%- endif %}
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__carts'), 'cart_id',
        event_column='created_at', version_column='updated_at',
        keys_sql=changed_keys) }}
),

final as (
    select
        latest.cart_id,
        latest.customer_id,
        latest.created_at,
        latest.updated_at,
        latest.completed_order_id,
        latest.cart_value,
        latest.currency_code,
        latest.item_count,
        -- when the base rows were last loaded (the incremental batch marker)
        (
            select max(loads._loaded_at) from {{ ref('base_shop__carts') }} as loads
        ) as _loaded_at
    from latest
)

select * from final
