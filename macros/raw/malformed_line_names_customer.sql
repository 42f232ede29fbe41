{#
    True when a malformed CSV line (`line_alias`: a relation with source_table and
    raw_line) names the customer `customer_id` (an expression): the line is of a table that
    names customers (raw_contract: customers, orders, sessions, carts) and one of its fields
    (malformed_line_fields) equals the id. stg_shop__malformed_rows joins the erased
    customers on it (a line of an erased customer is kept as a count only).
#}
{% macro malformed_line_names_customer(line_alias, customer_id) -%}
    {%- set customer_tables = [] -%}
    {%- for table_name, spec in raw_contract().items() if spec.customer is not none -%}
        {%- do customer_tables.append(table_name) -%}
    {%- endfor -%}
    {%- set fields = malformed_line_fields(line_alias ~ '.raw_line') -%}
    {{ line_alias }}.source_table in {{ sql_list(customer_tables) }}
    and {{ dbt.position(dbt.concat(["','", customer_id, "','"]), fields) | trim }} > 0
{%- endmacro %}
