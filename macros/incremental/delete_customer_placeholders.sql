{#
    Post-hook of the incremental customer-grain models (incremental run): deletes the
    placeholder rows (`marker_column` null, which no real row has) that the model writes
    for the customers it recomputed and who have no row left, once delete+insert on
    customer_id has removed their stored rows with them.
#}
{% macro delete_customer_placeholders(marker_column) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return('delete from ' ~ this ~ ' where ' ~ marker_column ~ ' is null') }}
{% endmacro %}
