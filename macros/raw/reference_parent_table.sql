{#
    The raw table a reference (an entry of raw_contract()[t].references) names: the table
    whose key is the reference column (customer_id: customers, order_id: orders,
    product_id: products).
#}
{% macro reference_parent_table(reference) %}
    {%- for table_name, spec in raw_contract().items() if spec.key == reference.column -%}
        {{ return(table_name) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('raw_contract: no table has the key ' ~ reference.column) }}
{% endmacro %}
