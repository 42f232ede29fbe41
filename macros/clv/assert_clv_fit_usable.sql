{#
    Pre-hook of int_customers_clv_predicted: stops the build with one clear message when the
    shop's CLV fit (int_clv_models_fitted) did not converge or gave non-finite values, before
    any prediction is made from it. marts.clv_model_fit still records the failed fit.
    Degenerate shops (no buyers, one buyer, no repeat buyer) are not failures: their
    predictions are null with a reason and the build goes on.
#}
{% macro assert_clv_fit_usable() %}
    {%- if execute -%}
        {%- set fitted = ref('int_clv_models_fitted') -%}
        {%- set found = run_query('select failure from ' ~ fitted ~ ' where failure is not null') -%}
        {%- if found.rows | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "CLV model fit failed: " ~ found.rows[0][0] ~ ". No predictions were made; "
                ~ "marts.clv_model_fit records the fit. Raise var clv_max_iterations (now "
                ~ var('clv_max_iterations') ~ ") if it ran out of iterations, or see the "
                ~ "README's Troubleshooting.") }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
