{#
    The rows an incremental customer-grain model writes (docs/data-path.md "The customer
    grain"), as a query: every row of `rows` (the CTE of the customers computed now) and,
    on an incremental run, one placeholder row for each stored customer recomputed now
    that has no row left, so that delete+insert on customer_id removes their stored rows;
    the post-hook delete_customer_placeholders deletes the placeholders again.
    `null_columns`: the model's other columns in order, as (name, type) pairs: null in a
    placeholder. The model names its stored table `stored_rows` and, on a partial run
    (`partial`), the customers it recomputes `recomputed_customers` (CTEs).
#}
{% macro customer_grain_rows(rows, null_columns, partial) -%}
    select * from {{ rows }}
    {%- if is_incremental() %}
    union all
    select
        stored_customers.customer_id,
        {%- for column in null_columns %}
        cast(null as {{ column[1] }}) as {{ column[0] }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select distinct stored_rows.customer_id from stored_rows) as stored_customers
    {%- if partial %}
    inner join recomputed_customers
        on stored_customers.customer_id = recomputed_customers.customer_id
    {%- endif %}
    left join {{ rows }}
        on stored_customers.customer_id = {{ rows }}.customer_id
    where {{ rows }}.customer_id is null
    {%- endif %}
{%- endmacro %}
