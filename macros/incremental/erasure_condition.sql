{#
    True for a row (`relation_alias`) of `table_name` that belongs to an erased customer
    (docs/data-path.md "Erasure on request"): a customer row or an order, session or cart naming
    the customer (base_shop__erasures), or an order line of an erased order. The erased
    rows of base_shop__orders hold sha256_hex of their order_id (current_versions), so a
    line is erased when its order is not clean and the hash of its order_id is among them:
    the caller has joined the clean orders as `order_id_reference` (reference_joins), and
    only the lines without a clean order are hashed (a few, not every line of a full build).
    Products belong to no customer. keyless_erasure_condition states the same on built
    relations, for the stored rows without an id that a refresh reads again.
#}
{% macro erasure_condition(table_name, relation_alias) -%}
    {%- set spec = raw_contract()[table_name] -%}
    {%- if spec.customer is not none -%}
    {{ relation_alias }}.{{ spec.customer }} in (
        select erasures.customer_id from {{ ref('base_shop__erasures') }} as erasures
    )
    {%- elif table_name == 'order_items' -%}
    case
        when order_id_reference.order_id is null
            then {{ sha256_hex(relation_alias ~ '.order_id') }}
    end in ({{ erased_order_keys() }})
    {%- else -%}
    false
    {%- endif -%}
{%- endmacro %}
