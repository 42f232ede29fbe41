"""The BG/NBD and Gamma-Gamma fits of the shop's buyers: one row (DuckDB only).

The math is in segwh.clv (typed, unit-tested); this model only hands it the buyers of
int_customers_clv_prepared. Vars reach it through the model's config (YAML).
"""


def model(dbt, session):
    from segwh.clv import warehouse

    prepared = dbt.ref("int_customers_clv_prepared").to_arrow_table()
    settings = dbt.config.get("meta")
    return warehouse.fit_table(prepared, max_iterations=int(settings["clv_max_iterations"]))
