-- Every raw session row (web and app visits).
-- One row per raw row read so far: read as the contract says, checked (reject_reason: the
-- first reason that applies, null = valid) and ranked (is_current: the version of its id
-- that rule 6 keeps). stg_shop__sessions shows the current, valid, not deleted rows;
-- quarantine.quarantined_rows the rejected ones. DuckDB: incremental, a refresh decides
-- again only the ids it touches (changed_ids; docs/data-path.md).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='session_id',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_rows('sessions', 'session_id') }}",
    post_hook=[
        "{{ delete_placeholder_rows() }}",
        "{{ delete_erased_keyless_rows('sessions') }}"
    ]
) }}
{%- set plan = read_plan('sessions') %}
{%- if raw_mode() == 'sample' %}
-- depends_on: {{ ref('sessions') }}
{%- endif %}
-- depends_on: {{ ref('stg_shop__erasures') }}

with

{% if is_incremental() and not plan.full -%}
cleaned_now as (
    -- every raw row this run reads, as clean text: only its id and row_fingerprint are
    -- read from it (by changed_ids); the rows of the ids it touches are read in raw_rows
    select {{ clean_raw_columns('sessions', 'source_rows') }}
    from {{ source('shop', 'sessions') }} as source_rows
),

fingerprints_now as (
    select
        cleaned_now.session_id,
        {{ row_fingerprint(raw_record_text('sessions', 'cleaned_now')) }} as _fingerprint
    from cleaned_now
),

touched_ids as (
    {{ changed_ids('sessions', plan, 'fingerprints_now', this) }}
),

{% endif -%}
raw_rows as (
    -- the raw rows this run reads: every row in a full build; in a refresh the rows
    -- without an id and those of the touched ids (parsed and checked below)
    select source_rows.*
    from {{ source('shop', 'sessions') }} as source_rows
    {%- if is_incremental() and not plan.full %}
    where {{ clean_text('source_rows.session_id') }} is null
        or {{ clean_text('source_rows.session_id') }} in (
            select touched_ids.session_id from touched_ids
        )
    {%- endif %}
),

cleaned as (
    select
        {{ clean_raw_columns('sessions', 'raw_rows') }},
        {{ raw_row_origin('raw_rows') }}
    from raw_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_timestamp('cleaned.started_at') }} as started_at_parsed,
        {{ parse_timestamp('cleaned.ended_at') }} as ended_at_parsed,
        {{ parse_integer('cleaned.page_views') }} as page_views_parsed,
        lower(cleaned.device_type) as device_type_lower
    from cleaned
),

validated as (
    -- the row's own checks; the reference check (unknown_customer) comes in `checked`
    select
        parsed.*,
        case
            when parsed.session_id is null or parsed.started_at is null
                then 'missing_required'
            when parsed.started_at_parsed is null then 'unparseable'
            when {{ is_out_of_range('parsed.started_at_parsed') }} then 'out_of_range'
        end as row_reject_reason
    from parsed
),

typed_rows as (
    select
        validated.session_id,
        validated.customer_id,
        validated.started_at_parsed as started_at,
        case
            when validated.ended_at_parsed >= validated.started_at_parsed
                then validated.ended_at_parsed
        end as ended_at,
        case
            when validated.device_type_lower is null then 'unknown'
            when validated.device_type_lower in ('desktop', 'mobile', 'tablet')
                then validated.device_type_lower
            else 'other'
        end as device_type,
        case when validated.page_views_parsed >= 0 then validated.page_views_parsed end
            as page_views,
        lower(validated.traffic_source) as traffic_source,
        {{ raw_record_text('sessions', 'validated') }} as record_text,
        validated._source,
        validated.is_tombstone,
        validated.row_reject_reason,
        false as is_erased
    from validated
),

read_rows as (
    -- in the stored shape (base_columns), before the reference checks
    select
        typed_rows.*,
        {{ row_fingerprint('typed_rows.record_text') }} as _fingerprint
    from typed_rows
),

{% if is_incremental() and not plan.full -%}
touched_keys as (
    -- the touched ids, and the keys their erased rows are stored under (current_versions)
    select touched_ids.session_id from touched_ids
    union all
    select {{ sha256_hex('touched_ids.session_id') }} from touched_ids
),

rows_to_check as (
    select read_rows.*
    from read_rows
    union all
    -- the stored rows of the touched ids (the stored table is read where it is used,
    -- changed_ids too, not as a CTE: a CTE read twice is materialized whole)
    select
        {%- for column_name in base_columns('sessions', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where stored_rows.session_id in (select touched_keys.session_id from touched_keys)
        {%- if plan.replaced %}
        and stored_rows._source not in {{ sql_list(plan.replaced) }}
        {%- endif %}
    union all
    -- a stored row without an id whose customer was erased since (keyless_erasure_condition):
    -- scrubbed now; the post-hook delete_erased_keyless_rows deletes their stored copies
    select
        {%- for column_name in base_columns('sessions', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored_rows
    where {{ keyless_erasure_condition('sessions', 'stored_rows') }}
),
{%- else -%}
rows_to_check as (
    select * from read_rows
),
{%- endif %}

checked as (
    select
        rows_to_check.*,
        coalesce(
            rows_to_check.row_reject_reason,
            {{ reference_reason('sessions', 'rows_to_check') }}
        ) as reject_reason,
        rows_to_check.is_erased
        or coalesce({{ erasure_condition('sessions', 'rows_to_check') }}, false) as erased_now
    from rows_to_check
    {{ reference_joins('sessions', 'rows_to_check') }}
),

versioned_ids as (
    select checked.session_id
    from checked
    where checked.reject_reason is null and not checked.erased_now
    group by checked.session_id
    having count(*) > 1
),

final as (
    {{ current_versions('sessions', 'checked',
        touched_ids='touched_ids' if is_incremental() and not plan.full else none) }}
)

select * from final
