{#
    Post-hook of the staging base tables base_shop__<t> (incremental run): deletes the
    placeholder rows (no _source) that current_versions writes for the ids that have no
    row left, once delete+insert on the id has removed their stored rows with them.
#}
{% macro delete_placeholder_rows() %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return('delete from ' ~ this ~ ' where _source is null') }}
{% endmacro %}
