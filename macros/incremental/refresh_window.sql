{#
    Incremental refresh of the large event tables (orders, order lines, sessions, carts).

    The base models base_shop__* are views (parsing is cheap next to writing tens of
    millions of rows); the checked models stg_shop__{orders,order_items,sessions,carts}_checked
    (the clean rows and the rejected rows, from one parse) are dbt incremental models on
    DuckDB (delete+insert on the id) and plain tables on Spark (parquet, no Delta). The
    clean views stg_shop__<t> and the view quarantined_rows read them.

    Which raw rows a run reads (the base views and base_shop__<t>_keys are re-created by
    every run):
      - a full build (no clean table yet, --full-refresh, or Spark): every raw row;
      - an incremental run: every row of each id that has a raw row whose version time
        (updated_at, else the event time) may fall on or after the cutoff day (the latest
        version day among the clean rows minus var incremental_lookback_days), or whose
        customer's standing may have changed (a clean row's customer is not a clean
        customer any more, or a row quarantined as unknown_customer has a clean customer
        now),
        and every row without an id (few: they are all quarantined). Order lines: every
        row of the line ids of the orders loaded by this run and of the orders not among
        the clean orders (orphans, lines that came before their order, lines of a deleted
        or now quarantined order).
    Since every row of an id is read, its clean row is decided again over all its
    versions (re-exported rows replace it whatever their event time; `_versions` stays
    exact) and its rejected rows are replaced. A row whose version time is older than
    the window when it first arrives is not read: the reconciliation test (raw = clean +
    quarantined + merged) fails, and `dbt build --full-refresh` reads everything again.

    Deletions (raw-data.md: a full export is the whole truth; an id that is no longer in
    it has been deleted): before an incremental run loads its window, a pre-hook of each
    checked table deletes its rows, clean and rejected, whose id is in no raw row any
    more (delete_ids_not_in_raw: one pass over the raw ids). The customers and products
    tables are rebuilt by every run, and the segment history forgets deleted customers
    (forget_deleted_customers, a post-hook of history.segment_membership_changes).
#}

{# 'incremental' on DuckDB, 'table' elsewhere (Spark here has parquet tables only). #}
{% macro event_table_materialization() %}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}

{#
    The event tables: their event-time column, their version column (or none) and the
    column naming their customer (or none: order lines follow their orders).
#}
{% macro event_tables() %}
    {{ return({
        'orders': {'event': 'ordered_at', 'version': 'updated_at', 'customer': 'customer_id'},
        'order_items': {'event': none, 'version': none, 'customer': none},
        'sessions': {'event': 'started_at', 'version': none, 'customer': 'customer_id'},
        'carts': {'event': 'created_at', 'version': 'updated_at', 'customer': 'customer_id'},
    }) }}
{% endmacro %}

{# The existing relation of the project's model `model_name`, or none (not built yet). #}
{% macro existing_model_relation(model_name) %}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- if node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema,
                                   identifier=node.alias)) }}
{% endmacro %}

{# The existing checked table stg_shop__<table_name>_checked (clean and rejected rows), or none. #}
{% macro existing_checked_relation(table_name) %}
    {{ return(existing_model_relation('stg_shop__' ~ table_name ~ '_checked')) }}
{% endmacro %}

{# True when this run reads only a window of table_name's raw rows (see above). #}
{% macro reads_raw_window(table_name) %}
    {%- if not execute or target.type != 'duckdb' or flags.FULL_REFRESH
        or table_name not in event_tables() -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(existing_checked_relation(table_name) is not none) }}
{% endmacro %}

{# The cutoff day ('YYYY-MM-DD') of the window, from the clean rows' latest version day. #}
{% macro refresh_cutoff_day(table_name) %}
    {%- set spec = event_tables()[table_name] -%}
    {%- set version_time = spec.event if spec.version is none
        else 'coalesce(' ~ spec.version ~ ', ' ~ spec.event ~ ')' -%}
    {%- set latest = run_query(
        "select cast(max(cast(" ~ version_time ~ " as date)) as varchar) from "
        ~ existing_checked_relation(table_name) ~ " where reject_reason is null"
        ).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return('0000-00-00') }}
    {%- endif -%}
    {%- set day = modules.datetime.datetime.strptime(latest, '%Y-%m-%d') -%}
    {%- set cutoff = day - modules.datetime.timedelta(days=int_var('incremental_lookback_days')) -%}
    {{ return(cutoff.strftime('%Y-%m-%d')) }}
{% endmacro %}

{#
    The condition on a raw row (`raw_alias`) of orders, sessions or carts that puts its id
    in the refresh window of an incremental run (base_shop__<table_name>_keys reads it once
    per run, and must declare `-- depends_on: ref('stg_shop__customers')`; order lines
    follow their orders there): its version time may be recent, or its customer's
    standing may have changed (reference_may_have_changed).
#}
{% macro raw_window_condition(table_name, raw_alias) %}
    {%- set spec = event_tables()[table_name] -%}
    {%- set cutoff = refresh_cutoff_day(table_name) -%}
    {%- set condition -%}
        ({{ raw_time_may_be_recent(raw_alias ~ '.' ~ spec.event, cutoff) }}
        {%- if spec.version is not none %}
        or {{ raw_time_may_be_recent(raw_alias ~ '.' ~ spec.version, cutoff, required=false) }}
        {%- endif %}
        {%- if spec.customer is not none %}
        or {{ reference_may_have_changed(table_name, raw_alias, spec.customer,
                                        ref('stg_shop__customers'), 'unknown_customer') }}
        {%- endif %})
    {%- endset -%}
    {{ return(condition) }}
{% endmacro %}

{#
    True for a raw row whose check against a clean reference (unknown_customer against
    the clean customers, unknown_product against the clean products) may give another
    answer than when its id was last loaded, whatever its time:
      - it names a reference of a clean row of the checked table that is not clean any
        more (deleted from its export, or rejected there): the row must become
        `reject_reason`;
      - its id was quarantined with `reject_reason` and its reference is clean now
        (arrived since).
    Both sets are small (the references whose standing changed), found from the checked
    table's reference column; each raw row is then one probe into them. Rows quarantined
    with `reject_reason` whose reference is still unknown are not read again (unchanged).
    `reference_column` is named alike in the checked table and in `clean_relation`.
#}
{% macro reference_may_have_changed(table_name, raw_alias, reference_column, clean_relation,
                                    reject_reason) %}
    {%- set key = raw_contract()[table_name].key -%}
    {%- set stored = existing_checked_relation(table_name) -%}
    (
        coalesce({{ clean_text(raw_alias ~ '.' ~ reference_column) }} in (
            select stored_rows.{{ reference_column }}
            from {{ stored }} as stored_rows
            left join {{ clean_relation }} as clean_references
                on stored_rows.{{ reference_column }} = clean_references.{{ reference_column }}
            where stored_rows.reject_reason is null
                and stored_rows.{{ reference_column }} is not null
                and clean_references.{{ reference_column }} is null
        ), false)
        or coalesce({{ clean_text(raw_alias ~ '.' ~ key) }} in (
            select stored_rows.{{ key }}
            from {{ stored }} as stored_rows
            inner join {{ clean_relation }} as clean_references
                on stored_rows.{{ reference_column }} = clean_references.{{ reference_column }}
            where stored_rows.reject_reason = '{{ reject_reason }}'
        ), false)
    )
{%- endmacro %}

{#
    True for a raw timestamp text that may parse to a time on or after `cutoff_day`: a
    superset of the rows of the window, which is all that is needed. Works on the raw text
    as it is (no trim, no parse: this runs on every raw row): a text that starts with a
    date `YYYY-MM-DD` is in when it sorts at or after the cutoff minus five days (a zone
    offset moves the UTC day by at most that); any other text (blank, padded, garbage:
    rows the parser may reject, which must be quarantined when new) is in too.
    `required`: a null counts as in (a missing required value is quarantined).
#}
{% macro raw_time_may_be_recent(raw_column, cutoff_day, required=true) -%}
    {%- set margin = (modules.datetime.datetime.strptime(cutoff_day, '%Y-%m-%d')
        - modules.datetime.timedelta(days=5)).strftime('%Y-%m-%d')
        if cutoff_day != '0000-00-00' else cutoff_day -%}
    (
        {% if required %}{{ raw_column }} is null or {% endif %}{{ raw_column }} >= '{{ margin }}'
        or not {{ starts_with_iso_date(raw_column) }}
    )
{%- endmacro %}

{# True when the text starts with `YYYY-MM-DD` (digits and dashes). #}
{% macro starts_with_iso_date(expression) %}
    {{ return(adapter.dispatch('starts_with_iso_date', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__starts_with_iso_date(expression) -%}
    {{ regex_matches('substr(' ~ expression ~ ', 1, 10)', '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
{%- endmacro %}

{# DuckDB: a glob is about twice as fast as a regex match here. #}
{% macro duckdb__starts_with_iso_date(expression) -%}
    ({{ expression }} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*')
{%- endmacro %}

{#
    Pre-hook of the incremental checked tables: an incremental run reads every raw row
    without an id again (they are few, and all rejected), so their previous rows go
    first. delete+insert on the id cannot match them (null = null is not true).
#}
{% macro delete_rows_without_id(key) %}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return('delete from ' ~ this ~ ' where ' ~ key ~ ' is null') }}
{% endmacro %}

{#
    Pre-hook of the incremental checked tables: deletions in a full export. The rows,
    clean and rejected, whose id is in no raw row any more are deleted (raw-data.md: an id
    that is no longer in a full export has been deleted): one pass over the raw ids, an
    anti-join on the id (written as a left join: a correlated `not exists` was planned
    as a delim join, three times slower at 100k customers). The rows the window reads again are replaced afterwards by
    delete+insert; order lines of a deleted order that are still exported come back as
    unknown_order (their order is no longer clean, so the window reads them).
    The raw relation is named before the incremental check, so that parsing the hook
    makes it a dependency of the model (a run-time ref needs one).
#}
{% macro delete_ids_not_in_raw(table_name) %}
    {%- set raw_relation = raw_table(table_name) -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set key = raw_contract()[table_name].key -%}
    {%- set statement -%}
        delete from {{ this }}
        where {{ key }} in (
            select stored_rows.{{ key }}
            from {{ this }} as stored_rows
            left join {{ raw_relation }} as raw_rows
                on {{ clean_text('raw_rows.' ~ key) }} = stored_rows.{{ key }}
            where stored_rows.{{ key }} is not null
                and raw_rows.{{ key }} is null
        )
    {%- endset -%}
    {{ return(statement) }}
{% endmacro %}

{#
    Post-hook of the segment history history.segment_membership_changes: a customer
    deleted from the customers export (no raw row with that id any more, clean or
    rejected) leaves the segment history too, like every other table of the warehouse. A
    customer whose row is now rejected still exists: their memberships end, they are not
    forgotten. DuckDB only: Spark's parquet tables take no DELETE (the README says so).
#}
{% macro forget_deleted_customers() %}
    {%- if not execute or target.type != 'duckdb' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set customers = existing_model_relation('stg_shop__customers_checked') -%}
    {%- if customers is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set statement -%}
        delete from {{ this }}
        where customer_id in (
            select history.customer_id
            from {{ this }} as history
            left join {{ customers }} as customers
                on history.customer_id = customers.customer_id
            where customers.customer_id is null
        )
    {%- endset -%}
    {{ return(statement) }}
{% endmacro %}

{# When this invocation loaded the rows (the batch marker of the incremental models). #}
{% macro loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
