"""The fixed product catalogue as raw rows, with a few dirty rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from segwh.generate import text as tx
from segwh.generate import vocab as vb
from segwh.generate.dirt import (
    GenConfig,
    GenState,
    table,
)


# ---------------------------------------------------------------- products
def products_table(g: GenConfig, st: GenState) -> pa.Table:
    """The fixed catalogue, with a few dirty rows when dirt is on."""
    pids, names, cats, prices, _ = vb.catalogue()
    n = len(pids)
    idx = np.arange(n)
    cat_forms = [c for c in vb.CATEGORIES]
    ci = np.array([cat_forms.index(c) for c in cats])
    forms: list[str] = []
    for c in cat_forms:
        forms += [c, c.title(), c.upper(), " " + c + " "]
    var = np.where(idx % 9 == 4, 1, 0) + np.where(idx % 17 == 5, 2, 0) + np.where(
        idx % 23 == 7, 3, 0)
    var = np.minimum(var, 3)
    cols = {
        "product_id": tx.to_arrow(tx.vocab(pids, idx)),
        "product_name": tx.to_arrow(tx.vocab(names, idx)),
        "category": tx.to_arrow(tx.vocab(forms, ci * 4 + var)),
        "list_price": tx.to_arrow(tx.money(prices)),
    }
    t = table(cols, "products")
    if g.dirt_rate <= 0:
        return t
    s = pa.string()
    extra = pa.table({
        "product_id": pa.array([pids[2], " " + pids[4] + " ", None, pids[9], "  "], s),
        "product_name": pa.array([names[2], names[4], "mystery item", names[9], "blank id"], s),
        "category": pa.array([cats[2], cats[4], "home", None, "books"], s),
        "list_price": pa.array([f"{prices[2] / 100:.2f}", f"{prices[4] / 100 + 5:.2f}", "9.99",
                                "abc", "1.00"], s),
    })
    for kind, k in [("dup_exact", 1), ("id_spaces_dup", 1), ("missing_required", 2),
                    ("bad_optional", 1)]:
        st.count("products", kind, k)
    rest = t.filter(pa.array(idx != 9))
    return pa.concat_tables([rest, extra]).combine_chunks()
