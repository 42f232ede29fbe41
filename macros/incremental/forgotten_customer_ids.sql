{#
    The customer ids of the segment history (`this`, in its post-hook
    forget_deleted_customers) that have no row left in base_shop__customers (`customers`)
    or whose current version there is a tombstone, as a query of one column.
#}
{% macro forgotten_customer_ids(customers) -%}
    select history.customer_id
    from {{ this }} as history
    left join (
        select distinct existing.customer_id
        from {{ customers }} as existing
        where existing.customer_id is not null
            and not (existing.is_current and existing.is_tombstone)
    ) as customers
        on history.customer_id = customers.customer_id
    where customers.customer_id is null
{%- endmacro %}
