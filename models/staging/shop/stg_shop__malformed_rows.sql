-- The raw CSV lines that could not be read as a row of their table (docs/data-path.md: too many
-- or too few fields, an unterminated quote, bytes not valid in the file's encoding), as
-- the on-run-start hook prepare_raw_inputs recorded them while reading the files of this
-- run. The quarantine lists them with reason malformed_row. DuckDB: incremental, the lines
-- of files read again or gone are replaced (delete_replaced_sources); the lines of files
-- this run did not read stay. None in the sample mode (dbt loads the seeds and checks them).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_sources('_source') }}"
) }}

with

{% if raw_mode() == 'sample' -%}
malformed as (
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_string() }}) as _source,
        cast(null as {{ dbt.type_bigint() }}) as line_number,
        cast(null as {{ dbt.type_string() }}) as raw_line,
        cast(null as {{ dbt.type_string() }}) as error_type
    where 1 = 0
),
{%- else -%}
malformed as (
    select * from {{ source('shop', 'malformed_rows') }}
),
{%- endif %}

final as (
    select
        malformed.source_table,
        malformed.source_file,
        malformed._source,
        malformed.line_number,
        malformed.raw_line,
        malformed.error_type,
        {{ loaded_at() }} as _loaded_at
    from malformed
)

select * from final
