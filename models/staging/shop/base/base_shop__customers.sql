-- Every raw customer row (customer accounts; personal data).
-- One row per raw row read so far: read as the contract says, checked (reject_reason: the
-- first reason that applies, null = valid) and ranked (is_current: the version of its id
-- that rule 6 keeps). stg_shop__customers shows the current, valid, not deleted rows;
-- quarantine.quarantined_rows the rejected ones. DuckDB: incremental, a refresh decides
-- again only the ids it touches (changed_ids; docs/data-path.md).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_rows('customers', 'customer_id') }}",
    post_hook="{{ delete_placeholder_rows() }}"
) }}
{%- set plan = read_plan('customers') %}
{%- if raw_mode() == 'sample' %}
-- depends_on: {{ ref('customers') }}
{%- endif %}

with

{% if is_incremental() and not plan.full -%}
cleaned_now as (
    -- every raw row this run reads, as clean text: only its id and row_fingerprint are
    -- read from it (by changed_ids); the rows of the ids it touches are read in raw_rows
    select {{ clean_raw_columns('customers', 'source_rows') }}
    from {{ source('shop', 'customers') }} as source_rows
),

fingerprints_now as (
    select
        cleaned_now.customer_id,
        {{ row_fingerprint(raw_record_text('customers', 'cleaned_now')) }} as _fingerprint
    from cleaned_now
),

touched_ids as (
    {{ changed_ids('customers', plan, 'fingerprints_now', this) }}
),

{% endif -%}
raw_rows as (
    -- the raw rows this run reads: every row in a full build; in a refresh the rows
    -- without an id and those of the touched ids (parsed and checked below)
    select source_rows.*
    from {{ source('shop', 'customers') }} as source_rows
    {%- if is_incremental() and not plan.full %}
    where {{ clean_text('source_rows.customer_id') }} is null
        or {{ clean_text('source_rows.customer_id') }} in (
            select touched_ids.customer_id from touched_ids
        )
    {%- endif %}
),

countries as (
    select * from {{ ref('countries') }}
),

cleaned as (
    select
        {{ clean_raw_columns('customers', 'raw_rows') }},
        {{ raw_row_origin('raw_rows') }}
    from raw_rows
),

parsed as (
    select
        cleaned.*,
        {{ parse_timestamp('cleaned.registered_at') }} as registered_at_parsed,
        {{ parse_timestamp('cleaned.updated_at') }} as updated_at_parsed,
        {{ parse_timestamp('cleaned.birth_date') }} as birth_at_parsed,
        {{ parse_integer('cleaned.children_count') }} as children_count_parsed,
        {{ parse_decimal('cleaned.annual_income') }} as annual_income_parsed,
        lower(cleaned.email) as email_lower,
        lower(cleaned.gender) as gender_lower,
        upper(cleaned.country_code) as country_code_upper
    from cleaned
),

validated as (
    select
        parsed.*,
        case
            when parsed.customer_id is null or parsed.registered_at is null
                then 'missing_required'
            when parsed.registered_at_parsed is null then 'unparseable'
            when {{ is_out_of_range('parsed.registered_at_parsed') }} then 'out_of_range'
        end as row_reject_reason
    from parsed
),

typed_rows as (
    select
        validated.customer_id,
        validated.registered_at_parsed as registered_at,
        -- an unparseable or clock-error updated_at is an invalid optional value: null
        case
            when not {{ is_out_of_range('validated.updated_at_parsed') }}
                then validated.updated_at_parsed
        end as updated_at,
        validated.email_lower as email,
        coalesce({{ regex_matches('validated.email_lower', '[^@ ]+@[^@ ]+[.][^@ .]+') }}, false)
            as is_email_valid,
        validated.phone,
        nullif({{ regex_replace_all('validated.phone', '[^0-9]', '') }}, '') as phone_digits,
        case
            when validated.gender_lower is null then 'unknown'
            when validated.gender_lower in ('f', 'female', 'woman', 'w', 'girl') then 'female'
            when validated.gender_lower in ('m', 'male', 'man', 'boy') then 'male'
            when validated.gender_lower in ('u', 'unknown', 'n/a', 'na', 'prefer not to say')
                then 'unknown'
            else 'other'
        end as gender,
        validated.gender as gender_raw,
        -- a birth date in the future or before 1900 makes the age unknown
        case
            when validated.birth_at_parsed >= cast('1900-01-01' as {{ dbt.type_timestamp() }})
                and validated.birth_at_parsed <= {{ build_clock() }}
                then cast(validated.birth_at_parsed as date)
        end as birth_date,
        countries.country_code,
        validated.country_code as country_code_raw,
        validated.region,
        validated.city,
        validated.work_city,
        lower(validated.acquisition_channel) as acquisition_channel,
        case
            when validated.customer_type is null then 'individual'
            when lower(validated.customer_type) in ('individual', 'person', 'personal')
                then 'individual'
            when lower(validated.customer_type) in ('company', 'business', 'corporate')
                then 'company'
            else 'other'
        end as customer_type,
        case
            when validated.company_type is null then null
            when lower(replace(replace(validated.company_type, '-', '_'), ' ', '_'))
                in ('government', 'private', 'semi_private')
                then lower(replace(replace(validated.company_type, '-', '_'), ' ', '_'))
            else 'other'
        end as company_type,
        lower(validated.education) as education,
        lower(validated.occupation) as occupation,
        lower(validated.marital_status) as marital_status,
        case
            when validated.children_count_parsed >= 0 then validated.children_count_parsed
        end as children_count,
        case
            when validated.annual_income_parsed >= 0 then validated.annual_income_parsed
        end as annual_income,
        -- a null consent flag means no consent
        coalesce({{ parse_boolean('validated.sms_opt_in') }}, false) as sms_opt_in,
        coalesce({{ parse_boolean('validated.email_opt_in') }}, false) as email_opt_in,
        {{ raw_record_text('customers', 'validated') }} as record_text,
        validated._source,
        validated.is_tombstone,
        validated.row_reject_reason,
        false as is_erased
    from validated
    left join countries
        on validated.country_code_upper = countries.country_code
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
    select touched_ids.customer_id from touched_ids
    union all
    select {{ sha256_hex('touched_ids.customer_id') }} from touched_ids
),

rows_to_check as (
    select read_rows.*
    from read_rows
    union all
    select
        {%- for column_name in base_columns('customers', checked=false) %}
        stored_rows.{{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- the stored table is read where it is used (changed_ids too), not as a CTE: a CTE
    -- read twice would be materialized whole, every column of every stored row
    from {{ this }} as stored_rows
    where stored_rows.customer_id in (select touched_keys.customer_id from touched_keys)
        {%- if plan.replaced %}
        and stored_rows._source not in {{ sql_list(plan.replaced) }}
        {%- endif %}
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
            {{ reference_reason('customers', 'rows_to_check') }}
        ) as reject_reason,
        rows_to_check.is_erased
        or coalesce({{ erasure_condition('customers', 'rows_to_check') }}, false) as erased_now
    from rows_to_check
    {{ reference_joins('customers', 'rows_to_check') }}
),

versioned_ids as (
    select checked.customer_id
    from checked
    where checked.reject_reason is null and not checked.erased_now
    group by checked.customer_id
    having count(*) > 1
),

final as (
    {{ current_versions('customers', 'checked',
        touched_ids='touched_ids' if is_incremental() and not plan.full else none) }}
)

select * from final
