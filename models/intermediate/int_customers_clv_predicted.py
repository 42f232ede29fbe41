"""Per buyer: expected orders over the horizon, P(alive), expected order value, CLV and
the value lost if the customer has churned, from the shop's fit (DuckDB only).

The math is in segwh.clv (typed, unit-tested). The post-hook assert_clv_usable stops the
build with a clear message when the fit did not converge or a prediction is not finite.
"""


def model(dbt, session):
    from segwh.clv import warehouse

    fit = dbt.ref("int_clv_models_fitted").to_arrow_table().to_pylist()[0]
    prepared = dbt.ref("int_customers_clv_prepared").to_arrow_table()
    settings = dbt.config.get("meta")
    return warehouse.predict_table(
        prepared,
        fit,
        horizon_days=int(settings["clv_horizon_days"]),
        monthly_discount_rate=float(settings["clv_monthly_discount_rate"]),
    )
