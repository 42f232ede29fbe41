{#
    The refresh of an incremental customer-grain model (docs/data-path.md "The customer
    grain"): whether this run recomputes every customer (`full`) or only those whose
    inputs changed since the model was last written, and the state its rows record for
    the next run:
      - `context`: md5 of what every customer's figures depend on besides their own
        events: var as_of (unset or its value), shop_timezone, reporting_currency,
        min_valid_date, the vars in `var_names`, and the currency rates;
      - `sources`: how many sources the ledger (stg_shop__raw_sources) holds of
        `departing_tables`, the raw tables whose rows can leave without a trace a refresh
        can read (an export read again, a delivery file changed or gone: the replaced
        rows go, with the customer an order had or the order a line had);
      - `since`: when the model's rows were last written (their max `_loaded_at`), as a
        SQL timestamp: rows of the inputs loaded later are the changes;
      - `as_of`: the as_of those rows were computed at (`_refresh_as_of`, in the models
        whose figures read a window that ends at as_of), as a SQL timestamp, or none.
    Only the changed customers are recomputed when the model holds rows, those written
    last under the same context, and every source of `departing_tables` that the ledger
    held then is still there unread (as many ledger rows loaded at or before `since` as
    recorded). Else every customer: a first build, --full-refresh, another as_of, zone,
    currency, rates or var, an export read again, a delivery file changed or removed
    (also by a run that did not build the model), a table without the state columns.
    The rates are read by name (upstream of every customer-grain model through
    int_population); the ledger by ref (the models name it in a depends_on: it is no
    parent of theirs otherwise).
    Without execution (parsing), in unit tests (their inputs are fixtures) and before the
    rates and the ledger exist (`dbt compile` of an empty warehouse): full, no queries.
#}
{% macro customer_grain_state(departing_tables, var_names=[]) %}
    {%- set state = {'full': true, 'since': none, 'as_of': none, 'context': '', 'sources': 0} -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(state) }}
    {%- endif -%}
    {%- set rates_relation = existing_model_relation('stg_reference__currency_rates') -%}
    {%- set ledger = load_relation(ref('stg_shop__raw_sources')) -%}
    {%- if rates_relation is none or ledger is none -%}
        {{ return(state) }}
    {%- endif -%}
    {%- set as_of = as_of_literal() -%}
    {%- set parts = ['as_of=' ~ (as_of if as_of is not none else 'unset'),
        'shop_timezone=' ~ shop_timezone(),
        'reporting_currency=' ~ checked_var('reporting_currency'),
        'min_valid_date=' ~ checked_var('min_valid_date')] -%}
    {%- for name in var_names -%}
        {%- do parts.append(name ~ '=' ~ checked_var(name)) -%}
    {%- endfor -%}
    {%- set rates = [] -%}
    {%- for row in run_query('select * from ' ~ rates_relation).rows -%}
        {%- do rates.append(row.values() | map('string') | join(',')) -%}
    {%- endfor -%}
    {%- do parts.append('rates=' ~ (rates | sort | join('|'))) -%}
    {%- do state.update({'context': local_md5(parts | join(';'))}) -%}
    {%- set tables = sql_list(departing_tables) -%}
    {%- do state.update({'sources': run_query('select count(*) from ' ~ ledger
        ~ ' where source_table in ' ~ tables).columns[0].values()[0] | int}) -%}
    {%- if not is_incremental() -%}
        {{ return(state) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name')
        | map('lower') | list -%}
    {%- for column_name in ['_loaded_at', '_refresh_context', '_refresh_sources'] -%}
        {%- if column_name not in columns -%}
            {{ return(state) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set windowed = '_refresh_as_of' in columns -%}
    {%- set stored = run_query(
        'select _loaded_at, min(_refresh_context), max(_refresh_context),'
        ~ ' min(_refresh_sources), max(_refresh_sources), '
        ~ ('max(_refresh_as_of)' if windowed else 'null') ~ ' from ' ~ this
        ~ ' where _loaded_at = (select max(_loaded_at) from ' ~ this ~ ')'
        ~ ' group by _loaded_at').rows -%}
    {%- if stored | length == 0 -%}
        {{ return(state) }}
    {%- endif -%}
    {%- set row = stored[0] -%}
    {%- set since = "cast('" ~ row[0].strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as "
        ~ dbt.type_timestamp() ~ ")" -%}
    {%- do state.update({'since': since}) -%}
    {%- if row[5] is not none -%}
        {%- do state.update({'as_of': "cast('" ~ row[5].strftime('%Y-%m-%d %H:%M:%S.%f')
            ~ "' as " ~ dbt.type_timestamp() ~ ")"}) -%}
    {%- endif -%}
    {%- if row[1] != state.context or row[2] != state.context or row[3] != row[4] -%}
        {{ return(state) }}
    {%- endif -%}
    {%- set unread = run_query('select count(*) from ' ~ ledger ~ ' where source_table in '
        ~ tables ~ ' and loaded_at <= ' ~ since).columns[0].values()[0] | int -%}
    {%- do state.update({'full': unread != row[3] | int}) -%}
    {{ return(state) }}
{% endmacro %}
