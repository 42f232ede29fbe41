{#
    The raw data contract (the raw contract, docs/data-path.md) as data: for every raw table, its
    columns in the contract's order, which of them are required, its id column, its
    version column (updated_at, when the table has one, else none) and its event-time
    column (none for order lines and products), the column naming its customer (erasure
    follows it; order lines follow their order) and its references: which clean relation
    each reference column must be found in, and the reject reason when it is not (in the
    contract's order of reasons).
    Every macro that reads raw data takes its column lists from here.
#}
{% macro raw_contract() %}
    {{ return({
        'customers': {
            'columns': [
                'customer_id', 'email', 'phone', 'gender', 'birth_date', 'registered_at',
                'updated_at', 'country_code', 'region', 'city', 'work_city',
                'acquisition_channel', 'customer_type', 'company_type', 'education',
                'occupation', 'marital_status', 'children_count', 'annual_income',
                'sms_opt_in', 'email_opt_in'
            ],
            'required': ['customer_id', 'registered_at'],
            'key': 'customer_id',
            'event': 'registered_at', 'version': 'updated_at', 'customer': 'customer_id',
            'references': [],
        },
        'orders': {
            'columns': [
                'order_id', 'customer_id', 'ordered_at', 'status', 'currency', 'order_total',
                'discount_total', 'coupon_code', 'sales_channel', 'updated_at'
            ],
            'required': ['order_id', 'ordered_at', 'status', 'order_total'],
            'key': 'order_id',
            'event': 'ordered_at', 'version': 'updated_at', 'customer': 'customer_id',
            'references': [
                {'column': 'customer_id', 'model': 'stg_shop__customers',
                 'reason': 'unknown_customer'},
            ],
        },
        'order_items': {
            'columns': ['order_item_id', 'order_id', 'product_id', 'quantity', 'unit_price'],
            'required': ['order_item_id', 'order_id', 'product_id', 'quantity', 'unit_price'],
            'key': 'order_item_id',
            'event': none, 'version': none, 'customer': none,
            'references': [
                {'column': 'order_id', 'model': 'stg_shop__orders', 'reason': 'unknown_order'},
                {'column': 'product_id', 'model': 'stg_shop__products',
                 'reason': 'unknown_product'},
            ],
        },
        'products': {
            'columns': ['product_id', 'product_name', 'category', 'list_price'],
            'required': ['product_id'],
            'key': 'product_id',
            'event': none, 'version': none, 'customer': none,
            'references': [],
        },
        'sessions': {
            'columns': [
                'session_id', 'customer_id', 'started_at', 'ended_at', 'device_type',
                'page_views', 'traffic_source'
            ],
            'required': ['session_id', 'started_at'],
            'key': 'session_id',
            'event': 'started_at', 'version': none, 'customer': 'customer_id',
            'references': [
                {'column': 'customer_id', 'model': 'stg_shop__customers',
                 'reason': 'unknown_customer'},
            ],
        },
        'carts': {
            'columns': [
                'cart_id', 'customer_id', 'created_at', 'updated_at', 'completed_order_id',
                'cart_value', 'currency', 'item_count'
            ],
            'required': ['cart_id', 'created_at'],
            'key': 'cart_id',
            'event': 'created_at', 'version': 'updated_at', 'customer': 'customer_id',
            'references': [
                {'column': 'customer_id', 'model': 'stg_shop__customers',
                 'reason': 'unknown_customer'},
            ],
        },
    }) }}
{% endmacro %}
