-- The raw CSV lines that could not be read as a row of their table (docs/data-path.md: too many
-- or too few fields, an unterminated quote, bytes not valid in the file's encoding), as
-- the on-run-start hook prepare_raw_inputs recorded them while reading the files of this
-- run. The quarantine lists them with reason malformed_row. A line of a table that names
-- customers (raw_contract: customers, orders, sessions, carts) one of whose fields is an
-- erased customer's id (malformed_line_names_customer) is kept as a count only: is_erased, no
-- text (docs/data-path.md "Erasure on request"). DuckDB: incremental, the lines of files
-- read again or gone are replaced (delete_replaced_sources); the lines of files this run
-- did not read stay, but a file holding a line of a customer erased since is written
-- again (delete+insert on table and source) with that line scrubbed. None in the sample
-- mode (dbt loads the seeds and checks them).
{{ config(
    materialized=base_table_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source_table', '_source'],
    on_schema_change='fail',
    pre_hook="{{ delete_replaced_sources('_source') }}"
) }}
with

{% if raw_mode() == 'sample' -%}
read_lines as (
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
read_lines as (
    -- the lines of the files this run reads
    select * from {{ source('shop', 'malformed_rows') }}
),
{%- endif %}

erasures as (
    select * from {{ ref('base_shop__erasures') }}
),

{% if is_incremental() -%}
scrubbed_sources as (
    -- the stored files (not read now) with a line of a customer erased since
    select distinct
        stored.source_table,
        stored._source
    from {{ this }} as stored
    inner join erasures
        on {{ malformed_line_names_customer('stored', 'erasures.customer_id') }}
    where not stored.is_erased
),

lines as (
    select
        read_lines.source_table,
        read_lines.source_file,
        read_lines._source,
        read_lines.line_number,
        read_lines.raw_line,
        read_lines.error_type,
        false as was_erased
    from read_lines
    union all
    -- every stored line of those files: delete+insert on (table, source) writes them again
    select
        stored.source_table,
        stored.source_file,
        stored._source,
        stored.line_number,
        stored.raw_line,
        stored.error_type,
        stored.is_erased as was_erased
    from {{ this }} as stored
    inner join scrubbed_sources
        on stored.source_table = scrubbed_sources.source_table
        and stored._source = scrubbed_sources._source
),
{%- else -%}
lines as (
    select
        read_lines.*,
        false as was_erased
    from read_lines
),
{%- endif %}

numbered_lines as (
    -- a number per line of each file (two lines may be equal on Spark, which gives no
    -- line numbers): (source_table, _source, line_key) names one line
    select
        lines.*,
        row_number() over (
            partition by lines.source_table, lines._source
            order by lines.line_number, lines.raw_line
        ) as line_key
    from lines
),

erased_lines as (
    select distinct
        numbered_lines.source_table,
        numbered_lines._source,
        numbered_lines.line_key
    from numbered_lines
    inner join erasures
        on {{ malformed_line_names_customer('numbered_lines', 'erasures.customer_id') }}
),

final as (
    select
        numbered_lines.source_table,
        numbered_lines.source_file,
        numbered_lines._source,
        numbered_lines.line_number,
        case
            when not numbered_lines.was_erased and erased_lines.line_key is null
                then numbered_lines.raw_line
        end as raw_line,
        numbered_lines.error_type,
        numbered_lines.was_erased or erased_lines.line_key is not null as is_erased,
        {{ loaded_at() }} as _loaded_at
    from numbered_lines
    left join erased_lines
        on
            numbered_lines.source_table = erased_lines.source_table
            and numbered_lines._source = erased_lines._source
            and numbered_lines.line_key = erased_lines.line_key
)

select * from final
