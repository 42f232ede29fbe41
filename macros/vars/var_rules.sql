{#
    The rule of every var declared in dbt_project.yml `vars:` (the values live there; the
    rules live here, and validate_vars() fails when the two lists differ):
      kind  identifier  a schema name: a letter or _, then letters, digits or _ (<= 128)
            path        a directory path or URL: no quotes (' " `), backslash, glob
                        character (* ? [ ] { }) or control character
            choice      one of `choices`
            timestamp   YYYY-MM-DD[( |T)HH:MM:SS[.ffffff]][Z|±HH:MM|±HHMM|±HH], a real
                        date and time, zone within ±14:00, years 1900-2999
            date        YYYY-MM-DD, a real date, years 1900-2999
            currency    three letters (ISO 4217) with a rate in the currency_rates seed
            timezone    an IANA time zone name (is_timezone_name), such as America/Sao_Paulo
            integer     a whole number from `min` to `max`
            decimal     a decimal number (at most 6 decimals) from `min` to `max`
      nullable  true when null is allowed (it means "not set")
#}
{% macro var_rules() %}
    {%- set days = {'kind': 'integer', 'min': 0, 'max': 36500} -%}
    {%- set count = {'kind': 'integer', 'min': 0, 'max': 1000000} -%}
    {{ return({
        'raw_path': {'kind': 'path', 'nullable': true},
        'raw_schema': {'kind': 'identifier', 'nullable': true},
        'raw_encoding': {'kind': 'choice', 'choices': ['utf-8', 'latin-1', 'utf-16']},
        'as_of': {'kind': 'timestamp', 'nullable': true},
        'reporting_currency': {'kind': 'currency'},
        'min_valid_date': {'kind': 'date'},
        'shop_timezone': {'kind': 'timezone'},
        'recent_days': days,
        'cart_abandon_after_hours': {'kind': 'integer', 'min': 0, 'max': 876000},
        'cart_window_days': days,
        'vip_top_percent': {'kind': 'decimal', 'min': 0, 'max': 100},
        'hesitant_min_visits': count,
        'no_order_min_visits': count,
        'loyal_min_orders': count,
        'coupon_lover_min_orders': count,
        'coupon_lover_min_share': {'kind': 'decimal', 'min': 0, 'max': 1},
        'new_customer_days': days,
        'active_days': days,
        'purchase_due_window_days': days,
        'pareto_core_share': {'kind': 'decimal', 'min': 0, 'max': 1},
        'clv_horizon_days': {'kind': 'integer', 'min': 1, 'max': 36500},
        'clv_monthly_discount_rate': {'kind': 'decimal', 'min': 0, 'max': 1},
        'clv_max_iterations': {'kind': 'integer', 'min': 1, 'max': 1000000},
        'at_risk_max_probability_alive': {'kind': 'decimal', 'min': 0, 'max': 1},
    }) }}
{% endmacro %}
