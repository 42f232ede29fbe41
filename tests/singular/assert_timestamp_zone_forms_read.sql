-- The raw contract (docs/data-path.md): a timestamp text is read with every zone form (`Z`,
-- `±HH:MM`, `±HHMM`, `±HH`) converted to UTC, optional fractional seconds, `T` or a space,
-- a bare date as midnight; anything else is unparseable (null). Runs parse_timestamp, the
-- macro every staging model reads timestamps with, on each engine. Rows returned are
-- failures.
with

cases as (
    select
        '2025-03-01T12:00:00Z' as raw_text,
        cast('2025-03-01 12:00:00' as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01 12:00:00+03:30' as raw_text,
        cast('2025-03-01 08:30:00' as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01T12:00:00-0445' as raw_text,
        cast('2025-03-01 16:45:00' as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01 01:00:00+02' as raw_text,
        cast('2025-02-28 23:00:00' as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01T12:00:00.25-03' as raw_text,
        cast('2025-03-01 15:00:00.25' as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01 12:00:00.123456Z' as raw_text,
        cast('2025-03-01 12:00:00.123456' as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    -- not ISO 8601 as the contract reads it: unparseable
    select
        '2025-03-01 12:00' as raw_text,
        cast(null as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01 12:00:00+3' as raw_text,
        cast(null as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01 12:00:00+03:3' as raw_text,
        cast(null as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01 12:00:00 +03:00' as raw_text,
        cast(null as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01Z' as raw_text,
        cast(null as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-02-30 12:00:00' as raw_text,
        cast(null as {{ dbt.type_timestamp() }}) as expected_utc
    {%- if shop_timezone() == 'UTC' %}
    -- without a zone a text is on the shop's clock (var shop_timezone): UTC here; the
    -- shop-zone readings are tested in tests/python/test_shop_timezone.py
    union all
    select
        '2025-03-01 12:00:00' as raw_text,
        cast('2025-03-01 12:00:00' as {{ dbt.type_timestamp() }}) as expected_utc
    union all
    select
        '2025-03-01' as raw_text,
        cast('2025-03-01 00:00:00' as {{ dbt.type_timestamp() }}) as expected_utc
    {%- endif %}
),

parsed as (
    select
        cases.raw_text,
        cases.expected_utc,
        {{ parse_timestamp('cases.raw_text') }} as parsed_utc
    from cases
)

select
    parsed.raw_text,
    parsed.expected_utc,
    parsed.parsed_utc
from parsed
where
    (parsed.expected_utc is null and parsed.parsed_utc is not null)
    or (parsed.expected_utc is not null and parsed.parsed_utc is null)
    or parsed.parsed_utc <> parsed.expected_utc
