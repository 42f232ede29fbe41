{#
    on-run-start hook: checks every var before anything is built, so a typo fails at
    once with a message naming the var instead of deep inside a model.
#}
{% macro validate_vars() %}
    {%- do raw_mode() -%}
    {%- do as_of_literal() -%}
    {%- for name in ['recent_days', 'cart_window_days', 'cart_abandon_after_hours',
                     'hesitant_min_visits', 'no_order_min_visits', 'loyal_min_orders',
                     'coupon_lover_min_orders', 'new_customer_days', 'active_days',
                     'purchase_due_window_days', 'incremental_lookback_days'] -%}
        {%- do int_var(name) -%}
    {%- endfor -%}
    {%- do fraction_var('vip_top_percent', 0, 100) -%}
    {%- do fraction_var('coupon_lover_min_share', 0, 1) -%}
    {%- do fraction_var('pareto_core_share', 0, 1) -%}
    {%- do int_var('clv_horizon_days', 1) -%}
    {%- do int_var('clv_max_iterations', 1) -%}
    {%- do fraction_var('clv_monthly_discount_rate', 0, 1) -%}
    {%- do fraction_var('at_risk_max_probability_alive', 0, 1) -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', var('min_valid_date') | string) -%}
        {{ exceptions.raise_compiler_error(
            "var min_valid_date must be a date like 2000-01-01, got '"
            ~ var('min_valid_date') ~ "'") }}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[A-Za-z]{3}', var('reporting_currency') | string) -%}
        {{ exceptions.raise_compiler_error(
            "var reporting_currency must be an ISO 4217 code like USD, got '"
            ~ var('reporting_currency') ~ "'") }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
