{#
    The clean columns of each raw table, in order: what base_shop__<t> types and checks
    (base_columns) and the clean view stg_shop__<t> shows (which adds _versions, and the
    event tables _loaded_at).
#}
{% macro clean_columns(table_name) %}
    {{ return({
        'customers': [
            'customer_id', 'registered_at', 'updated_at', 'email', 'is_email_valid', 'phone',
            'phone_digits', 'gender', 'gender_raw', 'birth_date', 'country_code',
            'country_code_raw', 'region', 'city', 'work_city', 'acquisition_channel',
            'customer_type', 'company_type', 'education', 'occupation', 'marital_status',
            'children_count', 'annual_income', 'sms_opt_in', 'email_opt_in'
        ],
        'orders': [
            'order_id', 'customer_id', 'ordered_at', 'updated_at', 'status', 'is_purchase',
            'currency_code', 'order_total', 'discount_total', 'coupon_code', 'has_coupon',
            'sales_channel'
        ],
        'order_items': [
            'order_item_id', 'order_id', 'product_id', 'quantity', 'unit_price'
        ],
        'products': [
            'product_id', 'product_name', 'category', 'list_price'
        ],
        'sessions': [
            'session_id', 'customer_id', 'started_at', 'ended_at', 'device_type', 'page_views',
            'traffic_source'
        ],
        'carts': [
            'cart_id', 'customer_id', 'created_at', 'updated_at', 'completed_order_id',
            'cart_value', 'currency_code', 'item_count'
        ]
    }[table_name]) }}
{% endmacro %}
