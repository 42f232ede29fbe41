{#
    `amount` (in `currency_code`) in var reporting_currency, as decimal(18, 2): amount ×
    usd_per_unit ÷ reporting_usd_per_unit (columns of `rates`, a row of
    int_currency_rates_rebased for the amount's currency and day), computed exactly and
    rounded half away from zero to cents (the raw contract, docs/data-path.md: 105.39 AUD
    at 0.66 and EUR at 1.08 is exactly 64.405 EUR, so 64.41). Null stays null.
    An amount already in the reporting currency is only rounded (no rate involved, and
    no 38-digit arithmetic: most amounts are in the reporting currency).
    Otherwise the cents are first estimated in floating point: v = |amount| × usd_per_unit
    ÷ reporting_usd_per_unit × 100, rounded. Its relative error is below 1e-15 (a few
    roundings of a double), so when v lies farther than 1e-9 × (v + 1) from a half cent
    the exact value rounds the same way and the estimate is the answer. Only near a half
    cent (every exact half such as the one above; 634 of the 176,502 converted orders of
    the 100k bench shop) is the estimate corrected by exact comparisons of whole numbers
    (amount in millionths, rates in 1e-10 units, as decimal(38, 0): exact on DuckDB and
    Spark alike): c cents is the answer when
    (2c - 1) * t * 1e6 <= 200 * a * f < (2c + 1) * t * 1e6. The estimate is off by at most
    one cent for any converted amount below 1e12, so one correction step is enough. The
    shortcut matters: DuckDB computes the 38-digit products at ~10 µs a row, the rest of
    the conversion well under 1 µs (docs/bench.md).
#}
{% macro to_reporting_currency(amount, currency_code, rates) -%}
    {%- set whole = 'decimal(38, 0)' -%}
    {%- set magnitude = 'abs(cast(' ~ amount ~ ' as decimal(38, 6)))' -%}
    {%- set a = 'cast(' ~ magnitude ~ ' * 1000000 as ' ~ whole ~ ')' -%}
    {%- set f = 'cast(cast(' ~ rates ~ '.usd_per_unit as decimal(38, 10)) * 10000000000 as '
        ~ whole ~ ')' -%}
    {%- set t = 'cast(cast(' ~ rates ~ '.reporting_usd_per_unit as decimal(38, 10)) * 10000000000 as '
        ~ whole ~ ')' -%}
    {%- set approximate = 'cast(' ~ magnitude ~ ' as double) * cast(' ~ rates
        ~ '.usd_per_unit as double) / cast(' ~ rates ~ '.reporting_usd_per_unit as double) * 100' -%}
    {%- set estimate = 'cast(round(' ~ approximate ~ ', 0) as ' ~ dbt.type_bigint() ~ ')' -%}
    {%- set scaled = 'cast(200 as ' ~ whole ~ ') * ' ~ a ~ ' * ' ~ f -%}
    {%- set cents -%}
        {{ estimate }} + case
            when abs({{ approximate }} - floor({{ approximate }}) - 0.5)
                > cast(0.000000001 as double) * ({{ approximate }} + 1)
                then 0
            when {{ scaled }}
                >= cast(2 * {{ estimate }} + 1 as {{ whole }}) * {{ t }} * cast(1000000 as {{ whole }})
                then 1
            when {{ scaled }}
                < cast(2 * {{ estimate }} - 1 as {{ whole }}) * {{ t }} * cast(1000000 as {{ whole }})
                then -1
            else 0
        end
    {%- endset -%}
    case
        when {{ currency_code }} = '{{ checked_var("reporting_currency") }}'
            then cast(round(cast({{ amount }} as decimal(18, 6)), 2) as decimal(18, 2))
        else cast(
            (case when {{ amount }} < 0 then -1 else 1 end)
            * cast({{ cents }} as {{ whole }}) * 0.01
            as decimal(18, 2)
        )
    end
{%- endmacro %}
