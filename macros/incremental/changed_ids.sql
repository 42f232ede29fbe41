{#
    Incremental run of base_shop__<table_name> (DuckDB): the ids whose rows must be
    decided again, as a query of one column (the table's id). Every stored row of these
    ids, but those of replaced sources, is checked and ranked again with the rows read
    now; the other ids' rows stay as they are (docs/data-path.md "A refresh"):
      - ids read now: in the `export` layout only those whose (id, row_fingerprint)
        pairs differ from the stored rows of the export (an unchanged re-export touches
        nothing; an id no longer exported loses its rows); else every id read;
      - ids of stored rows whose source is read again or gone (deliveries);
      - ids whose reference standing changed: a stored row that passed its own checks and
        whose reference_reason now differs from its stored reject_reason (a late
        customer, order or product arrived; a referenced row was deleted or rejected).
        When the referenced tables only gained rows (reference_recheck_since), only the
        stored rows rejected for a reference and the valid rows naming an id written
        since are looked at; else every stored row;
      - ids of rows of customers erased since (erasure_condition; order lines: in the
        reference check's pass, whose join to the orders their erasure_condition reads).
    A stored row erased already is touched only through its source (read again, gone) or
    its raw id read again (the model then re-reads it by its hashed key): never hashed twice.
    `read_rows`: a CTE of the id and row_fingerprint of every row read now (narrow: the
    model then parses and checks only the rows of the ids returned); `stored_rows`: the
    stored table (a relation, read by each branch for the columns it needs: as a CTE,
    DuckDB would materialize every column of every stored row for the several readers).
#}
{% macro changed_ids(table_name, plan, read_rows, stored_rows) -%}
    {%- set key = raw_contract()[table_name].key -%}
    {%- set replaced = sql_list(plan.replaced) if plan.replaced else none -%}
    {%- if plan.layout == 'export' -%}
    select coalesce(now_rows.{{ key }}, then_rows.{{ key }}) as {{ key }}
    from (
        select {{ key }}, _fingerprint, count(*) as row_count
        from {{ read_rows }}
        where {{ key }} is not null
        group by {{ key }}, _fingerprint
    ) as now_rows
    full outer join (
        select {{ key }}, _fingerprint, count(*) as row_count
        from {{ stored_rows }}
        where {{ key }} is not null
            and _source in {{ replaced if replaced else "('')" }}
        group by {{ key }}, _fingerprint
    ) as then_rows
        on now_rows.{{ key }} = then_rows.{{ key }}
        and now_rows._fingerprint = then_rows._fingerprint
    where now_rows.row_count is null
        or then_rows.row_count is null
        or now_rows.row_count != then_rows.row_count
    {%- else -%}
    select {{ key }} from {{ read_rows }} where {{ key }} is not null
    {%- if replaced %}
    union
    select {{ key }} from {{ stored_rows }}
    where {{ key }} is not null and _source in {{ replaced }}
    {%- endif -%}
    {%- endif %}
    {%- set spec = raw_contract()[table_name] %}
    {%- set since = reference_recheck_since(table_name, stored_rows) if spec.references else none %}
    {#- order lines have no customer column: the lines of an erased order are found by
        their order's reference join (erasure_condition), in a full check only (an order
        erased since makes reference_recheck_since none) #}
    {%- set erased_by_reference = spec.references and spec.customer is none %}
    {%- if spec.references %}
    union
    -- a stored row whose reference standing changed (with `since`: among those rejected
    -- for a reference, whose reference may have arrived)
    select stored_checked.{{ key }}
    from {{ stored_rows }} as stored_checked
    {{ reference_joins(table_name, 'stored_checked') }}
    where not stored_checked.is_erased
        and stored_checked.{{ key }} is not null
        and (
            stored_checked.row_reject_reason is null
            {%- if since is not none %}
            and stored_checked.reject_reason is not null
            {%- endif %}
            and coalesce({{ reference_reason(table_name, 'stored_checked') }}, '')
            != coalesce(stored_checked.reject_reason, '')
            {%- if erased_by_reference and since is none %}
            or coalesce({{ erasure_condition(table_name, 'stored_checked') }}, false)
            {%- endif %}
        )
    {%- endif %}
    {%- if since is not none %}
    union
    -- a stored valid row naming an id written since
    select stored_valid.{{ key }}
    from {{ stored_rows }} as stored_valid
    where not stored_valid.is_erased
        and stored_valid.{{ key }} is not null
        and stored_valid.reject_reason is null
        and (
            {%- for reference in spec.references %}
            {{ 'or ' if not loop.first }}stored_valid.{{ reference.column }} in (
                select written.{{ reference.column }}
                from {{ existing_model_relation('base_shop__' ~ reference_parent_table(reference)) }}
                    as written
                where written._loaded_at > {{ since }}
            )
            {%- endfor %}
        )
    {%- endif %}
    {%- if not erased_by_reference %}
    union
    -- a stored row of a customer erased since
    select stored_erased.{{ key }}
    from {{ stored_rows }} as stored_erased
    where not stored_erased.is_erased
        and stored_erased.{{ key }} is not null
        and {{ erasure_condition(table_name, 'stored_erased') }}
    {%- endif %}
{%- endmacro %}
