{#
    Post-hook of int_customers_clv_predicted: stops the build with one clear message when
    the shop's CLV fit (int_clv_models_fitted) did not converge or gave non-finite values,
    or when predictions from it overflowed (parameters too extreme to predict from); the
    models downstream are then skipped. marts.clv_model_fit still records the fit.
    Shops the models cannot describe (no buyers, one buyer, no repeat buyer, a = 1) are
    not failures: their predictions are null with a reason and the build goes on.
#}
{% macro assert_clv_usable() %}
    {%- if execute -%}
        {%- set fitted = ref('int_clv_models_fitted') -%}
        {%- set fit = run_query(
            'select failure, bgnbd_r, bgnbd_alpha, bgnbd_a, bgnbd_b, gg_p, gg_q, gg_gamma from '
            ~ fitted) -%}
        {%- set row = fit.rows[0] -%}
        {%- if row[0] -%}
            {{ exceptions.raise_compiler_error(
                "CLV model fit failed: " ~ row[0] ~ ". No predictions are made; "
                ~ "marts.clv_model_fit records the fit. If it ran out of iterations, raise var "
                ~ "clv_max_iterations (now " ~ var('clv_max_iterations') ~ "); see "
                ~ "docs/troubleshooting.md.") }}
        {%- endif -%}
        {%- set broken = run_query(
            "select count(*) from " ~ this ~ " where clv_null_reason = 'non_finite_prediction'"
        ).rows[0][0] -%}
        {%- if broken > 0 -%}
            {{ exceptions.raise_compiler_error(
                "CLV predictions are not finite for " ~ broken ~ " buyers: the fitted "
                ~ "parameters are too extreme to predict from (BG/NBD r, alpha, a, b = "
                ~ row[1:5] | join(', ') ~ "; Gamma-Gamma p, q, gamma = " ~ row[5:8] | join(', ')
                ~ "), usually because too few buyers pin the models down. See "
                ~ "docs/troubleshooting.md.") }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
