{#
    Incremental run of base_shop__<table_name> (DuckDB): true for a stored row
    (`relation_alias`) without an id (quarantined: missing_required), not scrubbed, that
    belongs to an erased customer (docs/data-path.md "Erasure on request"). A refresh
    decides stored rows again by their id (changed_ids), so such a row, stored before its
    customer was erased, is found by this condition instead: the model reads it again
    (erasure_condition then scrubs it) and the post-hook delete_erased_keyless_rows deletes
    its stored copy. The same fact as erasure_condition, on built relations only (a hook
    cannot read the ephemeral base_shop__erasures): the hash of its customer id is in
    stg_shop__erasures; an order line: its order is not clean and the hash of its order_id
    is the key of an erased base_shop__orders row. Only the few stored rows without an id
    are hashed: the hash is also inside a `case` on the row being keyless (under an `or`,
    DuckDB hashes every stored row before it filters on a plain `and`). False for customers (their
    id is the customer id) and products.
    With `relation_alias` none the stored table's columns are not qualified (a DELETE of
    that table: delete_erased_keyless_rows; Spark's rewrite of it reads the same condition).
#}
{% macro keyless_erasure_condition(table_name, relation_alias) -%}
    {%- set spec = raw_contract()[table_name] -%}
    {%- set stored = relation_alias ~ '.' if relation_alias else '' -%}
    {%- set not_scrubbed_keyless = stored ~ spec.key ~ ' is null and not ' ~ stored ~ 'is_erased' -%}
    {%- if spec.customer is not none and spec.customer != spec.key -%}
    {{ not_scrubbed_keyless }}
    and case when {{ not_scrubbed_keyless }} then {{ sha256_hex(stored ~ spec.customer) }} end in (
        select erasures.customer_id_hash from {{ ref('stg_shop__erasures') }} as erasures
    )
    {%- elif table_name == 'order_items' -%}
    {%- set orders = (spec.references | selectattr('column', 'equalto', 'order_id') | first).model -%}
    {{ not_scrubbed_keyless }}
    and {{ stored }}order_id not in (
        select clean_orders.order_id from {{ ref(orders) }} as clean_orders
        where clean_orders.order_id is not null
    )
    and case when {{ not_scrubbed_keyless }} then {{ sha256_hex(stored ~ 'order_id') }} end
    in ({{ erased_order_keys() }})
    {%- else -%}
    false
    {%- endif -%}
{%- endmacro %}
