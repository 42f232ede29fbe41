-- One row per clean session: sessions logged twice are kept once.
{{ config(
    materialized=event_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='session_id',
    on_schema_change='fail'
) }}
{%- set changed_keys = none %}
{%- if is_incremental() %}
    {#- the ids with a base row loaded since this model last ran #}
    {%- set changed_keys -%}
        select changed.session_id
        from {{ ref('base_shop__sessions') }} as changed
        where changed._loaded_at > (select max(loaded._loaded_at) from {{ this }} as loaded)
            and changed.session_id is not null
    {%- endset %}
{%- endif %}
with

latest as (
    {{ deduplicate_valid_rows(ref('base_shop__sessions'), 'session_id',
        event_column='started_at',
        keys_sql=changed_keys) }}
),

final as (
    select
        latest.session_id,
        latest.customer_id,
        latest.started_at,
        latest.ended_at,
        latest.device_type,
        latest.page_views,
        latest.traffic_source,
        -- when the base rows were last loaded (the incremental batch marker)
        (
            select max(loads._loaded_at) from {{ ref('base_shop__sessions') }} as loads
        ) as _loaded_at
    from latest
)

select * from final
