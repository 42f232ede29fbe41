-- One row per clean order line (duplicated ids merged by the contract's tie rule).
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='order_item_id',
    on_schema_change='fail'
) }}
{%- set changed_keys = none %}
{%- if is_incremental() %}
    {#- the ids with a base row loaded since this model last ran #}
    {%- set changed_keys -%}
        select changed.order_item_id
        from {{ ref('base_shop__order_items') }} as changed
        where changed._loaded_at > (select max(loaded._loaded_at) from {{ this }} as loaded)
            and changed.order_item_id is not null
    {%- endset %}
{%- endif %}
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__order_items'), 'order_item_id',
        keys_sql=changed_keys) }}
),

final as (
    select
        latest.order_item_id,
        latest.order_id,
        latest.product_id,
        latest.quantity,
        latest.unit_price,
        -- when the base rows were last loaded (the incremental batch marker)
        (
            select max(loads._loaded_at) from {{ ref('base_shop__order_items') }} as loads
        ) as _loaded_at
    from latest
)

select * from final
