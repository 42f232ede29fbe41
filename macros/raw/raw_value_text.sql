{#
    One raw column as the text the staging models read, whatever type the file or table
    gives it (docs/data-path.md "Tables": a typed value is read as its value). `column_sql` is
    the column, `data_type` its type as the engine describes it. Text stays as it is;
    every other type becomes one canonical text that the parsing macros read back exactly:
      - a timestamp with a zone: its UTC instant, `YYYY-MM-DD HH:MM:SS[.ffffff]Z`;
      - a timestamp without a zone: `YYYY-MM-DD HH:MM:SS[.ffffff]`, read like that text
        in a CSV file (rule 2: the shop's time zone);
      - a date: `YYYY-MM-DD` (midnight, like a bare date in a CSV file);
      - a number: plain decimal notation without an exponent or trailing fractional
        zeros (2.0 -> `2`, 105.3900 -> `105.39`, 1e-07 -> `0.0000001`), so that an
        integer column written as doubles or decimals (pandas does, when it has nulls)
        reads as integers; NaN and infinities stay text that no parser accepts;
      - a boolean: `true` / `false`; anything else: the engine's cast to text.
    The engine's own text of a zoned timestamp depends on the session time zone (DuckDB:
    `2025-01-02 03:04:05+00`), and of a double may use an exponent (`1e+20`, `1.0E7`):
    neither is what rule 2 or parse_decimal reads.
#}
{% macro raw_value_text(column_sql, data_type) %}
    {{ return(adapter.dispatch('raw_value_text', 'segmentation')(column_sql, data_type)) }}
{% endmacro %}

{% macro default__raw_value_text(column_sql, data_type) %}
    {%- set type_name = data_type | upper | trim -%}
    {%- set as_text = 'cast(' ~ column_sql ~ ' as varchar)' -%}
    {%- if type_name.startswith('VARCHAR') or type_name in ('TEXT', 'STRING') -%}
        {{ return(column_sql) }}
    {%- elif type_name.startswith('TIMESTAMP WITH TIME ZONE') or type_name == 'TIMESTAMPTZ' -%}
        {{ return("cast(timezone('UTC', " ~ column_sql ~ ") as varchar) || 'Z'") }}
    {%- elif type_name.startswith('TIMESTAMP') -%}
        {#- TIMESTAMP_NS (pandas' default) has nine fraction digits: rule 2 reads six -#}
        {{ return('cast(cast(' ~ column_sql ~ ' as timestamp) as varchar)') }}
    {%- elif type_name in ('DOUBLE', 'FLOAT', 'REAL', 'FLOAT4', 'FLOAT8') -%}
        {{ return(plain_number_text(column_sql, as_text, "contains(" ~ as_text ~ ", 'e')")) }}
    {%- elif type_name.startswith('DECIMAL') or type_name.startswith('NUMERIC') -%}
        {{ return(without_fraction_zeros(as_text)) }}
    {%- else -%}
        {{ return(as_text) }}
    {%- endif -%}
{% endmacro %}

{% macro spark__raw_value_text(column_sql, data_type) %}
    {%- set type_name = data_type | lower | trim -%}
    {%- set as_text = 'cast(' ~ column_sql ~ ' as string)' -%}
    {%- if type_name.startswith('string') or type_name.startswith('varchar')
        or type_name.startswith('char') -%}
        {{ return(column_sql) }}
    {%- elif type_name in ('timestamp', 'timestamp_ltz') -%}
        {#- an instant: its UTC wall-clock time, whatever the session time zone -#}
        {{ return("cast(timestampadd(microsecond, unix_micros(" ~ column_sql
            ~ "), timestamp_ntz'1970-01-01 00:00:00') as string) || 'Z'") }}
    {%- elif type_name in ('double', 'float', 'real') -%}
        {{ return(plain_number_text(column_sql, as_text, "instr(" ~ as_text ~ ", 'E') > 0")) }}
    {%- elif type_name.startswith('decimal') or type_name.startswith('numeric') -%}
        {{ return(without_fraction_zeros(as_text)) }}
    {%- else -%}
        {{ return(as_text) }}
    {%- endif -%}
{% endmacro %}

{#- Trailing fractional zeros (and then a trailing point) removed from a decimal's text. -#}
{% macro without_fraction_zeros(text_sql) -%}
    case
        when {{ text_sql }} like '%.%' then regexp_replace({{ text_sql }}, '[.]?0+$', '')
        else {{ text_sql }}
    end
{%- endmacro %}

{#-
    A floating-point value as plain decimal text: whole numbers as integers, the engine's
    shortest text when it has no exponent, else the value to ten decimals.
-#}
{% macro plain_number_text(column_sql, as_text, has_exponent) -%}
    case
        when abs({{ column_sql }}) < 1e15 and {{ column_sql }} = floor({{ column_sql }})
            then cast(cast({{ column_sql }} as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
        when {{ has_exponent }}
            then {{ without_fraction_zeros('cast(' ~ try_cast(column_sql, 'decimal(38, 10)')
                ~ ' as ' ~ dbt.type_string() ~ ')') }}
        else {{ as_text }}
    end
{%- endmacro %}
