"""Customer lifetime value: BG/NBD (repeat purchases, P(alive)) and Gamma-Gamma (spend).

``bgnbd`` and ``gamma_gamma`` hold each model's likelihood and per-customer formulas,
``model`` fits both to a shop and predicts per buyer, ``warehouse`` is what the dbt Python
models call.
"""
