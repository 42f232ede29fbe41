{#
    Incremental run of base_shop__<table_name> (a table with references): when the clean
    rows its references name can only have gained rows since the stored table was last
    written, the time of that write, as a SQL literal; else none. changed_ids then
    re-checks the reference standing of a few stored rows instead of every one
    (docs/data-path.md "A refresh"):
      - a stored row rejected for a reference is checked again (its reference may have
        arrived);
      - a stored valid row is checked again only when a row of the id it names was written
        since (`_loaded_at`): a clean row leaves only by a row written for its id (a
        newer version, a rejected one, a tombstone), which this finds.
    The rest leave without a trace, so any of them means none (every stored row is checked):
      - a referenced table read in full, or a source of it read again or gone (an id
        missing from a re-export, a delivery file changed or removed): its rows went
        with their source;
      - an erased referenced row written since: its key is a hash, which the raw id of a
        referencing row cannot meet (order lines of an erased order);
      - a stored table with no write time.
    Relies on a run that writes a referenced table also writing this one (every `dbt build`
    and refresh does): a selection that writes base_shop__customers and the ledger but not
    this table, and reads a changed customers file, leaves this table to a --full-refresh.
#}
{% macro reference_recheck_since(table_name, stored_rows) %}
    {%- set contract = raw_contract() -%}
    {%- set since = run_query('select max(stored_rows._loaded_at) from ' ~ stored_rows
        ~ ' as stored_rows').columns[0].values()[0] -%}
    {%- if since is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since_literal = "cast('" ~ since ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- for reference in contract[table_name].references -%}
        {%- set parent = reference_parent_table(reference) -%}
        {%- set plan = read_plan(parent) -%}
        {%- if plan.full or plan.replaced | reject('in', plan.added) | list -%}
            {{ return(none) }}
        {%- endif -%}
        {%- set erased = run_query('select count(*) from '
            ~ existing_model_relation('base_shop__' ~ parent) ~ ' as parent_rows'
            ~ ' where parent_rows.is_erased and parent_rows._loaded_at > ' ~ since_literal
            ).columns[0].values()[0] -%}
        {%- if erased | int > 0 -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(since_literal) }}
{% endmacro %}
