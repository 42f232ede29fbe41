{#
    Incremental run of a customer-grain model (docs/data-path.md "The customer grain"):
    the customers whose events among `tables` changed since `since` (customer_grain_state),
    as a query of one column, customer_id (repeats possible). A refresh writes every row
    of each id it touches again (`_loaded_at`), every version of it, the earlier ones
    too: an order's rows loaded since name both the customer it had and the one it has
    now; a line's rows, both orders; a tombstoned, rejected or admitted row keeps its
    values. Per table:
      - customers, orders, sessions, carts: the customer_id of their rows loaded since;
      - order_items: the customer of each (clean) order named by a line row loaded since
        (the order itself, if it changed, is an `orders` change);
      - products: the customers of the clean orders with a clean line of a product with a
        row loaded since (a category changed: every buyer of the product).
    Rows that leave without a trace (a source read again or gone) are the business of
    customer_grain_state (a full recompute); a customer erased or deleted leaves the
    population, which the models compare with their stored customers.
    The relations are read by name (existing_model_relation), not ref(): every one is
    upstream of the models that call this (their stg views and int_population read them),
    and a ref would be a parent their unit tests must mock.
#}
{% macro changed_customers(tables, since) -%}
    {%- set selects = [] -%}
    {%- for table_name in ['customers', 'orders', 'sessions', 'carts'] if table_name in tables -%}
        {%- do selects.append('select loaded.customer_id from ' ~ existing_model_relation('base_shop__' ~ table_name)
            ~ ' as loaded where loaded._loaded_at > ' ~ since
            ~ ' and loaded.customer_id is not null') -%}
    {%- endfor -%}
    {%- if 'order_items' in tables -%}
        {%- do selects.append('select orders.customer_id from ' ~ existing_model_relation('stg_shop__orders')
            ~ ' as orders inner join (select distinct loaded.order_id from '
            ~ existing_model_relation('base_shop__order_items') ~ ' as loaded where loaded._loaded_at > ' ~ since
            ~ ') as loaded_lines on orders.order_id = loaded_lines.order_id') -%}
    {%- endif -%}
    {%- if 'products' in tables -%}
        {%- do selects.append('select orders.customer_id from ' ~ existing_model_relation('stg_shop__orders')
            ~ ' as orders inner join ' ~ existing_model_relation('stg_shop__order_items')
            ~ ' as order_items on orders.order_id = order_items.order_id'
            ~ ' inner join (select distinct loaded.product_id from ' ~ existing_model_relation('base_shop__products')
            ~ ' as loaded where loaded._loaded_at > ' ~ since
            ~ ') as loaded_products on order_items.product_id = loaded_products.product_id') -%}
    {%- endif -%}
    {{ selects | join('\n    union all\n    ') }}
{%- endmacro %}
