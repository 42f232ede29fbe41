"""Random customers, one chunk at a time, with their dirt and re-exported versions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from segwh.generate import text as tx
from segwh.generate import vocab as vb
from segwh.generate.dirt import (
    DAY,
    SPAN,
    TS_KINDS,
    GenConfig,
    GenState,
    allocate,
    append_copies,
    choice_text,
    common_dirt,
    cycle_words,
    ids,
    null_rows,
    pick,
    set_col,
    styled,
    table,
)

# ---------------------------------------------------------------- customers
CUSTOMER_DIRT = ["id_spaces", "missing_required", "unparseable_ts", "future_ts", "ancient_ts",
                 *TS_KINDS, "bad_email", "email_case_spaces", "bad_country", "bad_birth_date",
                 "bad_boolean", "bad_optional", "dup_update", "dup_exact", "dup_tie"]


def _emails(rng: np.random.Generator, num: np.ndarray) -> tx.Piece:
    n = num.size
    name = tx.vocab(vb.FIRST_NAMES, rng.integers(0, len(vb.FIRST_NAMES), n))
    dom = tx.vocab(vb.EMAIL_DOMAINS, rng.integers(0, len(vb.EMAIL_DOMAINS), n))
    return tx.cat(name, tx.const(".", n), tx.digits(num), tx.const("@", n), dom)


def _phones(rng: np.random.Generator, country: np.ndarray) -> tx.Piece:
    n = country.size
    cc = tx.vocab([c[2] for c in vb.COUNTRIES], country)
    a = tx.digits(rng.integers(100, 1000, n))
    b = tx.digits(rng.integers(100, 1000, n))
    c = tx.digits(rng.integers(0, 10_000, n), pad=4)

    def k(s: str) -> tx.Piece:
        return tx.const(s, n)

    forms = [
        tx.cat(k("+"), cc, k(" "), a, k(" "), b, k(" "), c),  # +98 912 345 6789
        tx.cat(k("0"), a, b, c),  # 09123456789
        tx.cat(k("("), a, k(") "), b, k("-"), c),  # (555) 123-4567
        tx.cat(a, k("."), b, k("."), c),  # 555.123.4567
        tx.cat(k("00"), cc, a, b, c),  # 0098912...
        tx.cat(k("+"), cc, k("-"), a, k("-"), b, c),
    ]
    f = rng.integers(0, len(forms), n)
    out = forms[0]
    for j in range(1, len(forms)):
        out = tx.where(f == j, forms[j], out)
    return out


def customers_chunk(g: GenConfig, rng: np.random.Generator, st: GenState, start: int,
                    n: int) -> tuple[pa.Table, pa.Array, np.ndarray]:
    """Customer rows of customers ``start+1 .. start+n``; returns (table, clean ids,
    registered_at seconds)."""
    num = start + 1 + np.arange(n, dtype=np.int64)
    clean_ids = ids("C", num, g.w_cust)
    reg = g.as_of - 2 - (SPAN * rng.random(n) ** 0.8).astype(np.int64)
    d = allocate(rng, n, CUSTOMER_DIRT, g.dirt_rate)
    upd = np.where(rng.random(n) < 0.3,
                   reg + ((g.as_of - 2 - reg) * rng.random(n)).astype(np.int64), reg)
    country = pick(rng, n, [c[1] for c in vb.COUNTRIES])
    ncity = np.array([len(c[3]) for c in vb.COUNTRIES])
    first = np.concatenate([[0], np.cumsum(ncity)[:-1]])
    places = [p for c in vb.COUNTRIES for p in c[3]]
    cities = [p[1] for p in places]
    city = first[country] + (rng.random(n) * ncity[country]).astype(np.int64)
    wcity = first[country] + (rng.random(n) * ncity[country]).astype(np.int64)
    ctype = pick(rng, n, vb.CUSTOMER_TYPE_P)
    is_company = (ctype == 3) | (ctype == 4)
    birth = (-9131 + rng.integers(0, 62 * 365, n)).astype(np.int64)  # 1945-01-01 + 62 years
    income = (np.round(rng.lognormal(10.6, 0.55, n) / 100) * 100).astype(np.int64)
    sms = np.where(rng.random(n) < 0.45, 0, 7) + rng.integers(0, 7, n)
    mail = np.where(rng.random(n) < 0.6, 0, 7) + rng.integers(0, 7, n)
    bools = vb.BOOLS_TRUE + vb.BOOLS_FALSE
    company = pick(rng, n, vb.COMPANY_TYPE_P)
    company = np.where(is_company, company, len(vb.COMPANY_TYPES) - 1)
    cols: dict[str, pa.Array] = {
        "customer_id": clean_ids,
        "email": tx.to_arrow(_emails(rng, num), rng.random(n) >= 0.05),
        "phone": tx.to_arrow(_phones(rng, country), rng.random(n) >= 0.1),
        "gender": choice_text(vb.GENDERS, pick(rng, n, vb.GENDER_P)),
        "birth_date": tx.to_arrow(tx.date(birth), rng.random(n) >= 0.12),
        "registered_at": tx.to_arrow(tx.timestamp(reg)),
        "updated_at": tx.to_arrow(tx.timestamp(upd), rng.random(n) >= 0.1),
        "country_code": tx.to_arrow(tx.vocab([c[0] for c in vb.COUNTRIES], country)),
        "region": tx.to_arrow(tx.vocab([p[0] for p in places], city), rng.random(n) >= 0.05),
        "city": tx.to_arrow(tx.vocab(cities, city), rng.random(n) >= 0.03),
        "work_city": tx.to_arrow(tx.vocab(cities, wcity), rng.random(n) < 0.45),
        "acquisition_channel": choice_text(vb.CHANNELS, pick(rng, n, vb.CHANNEL_P)),
        "customer_type": choice_text(vb.CUSTOMER_TYPES, ctype),
        "company_type": choice_text(vb.COMPANY_TYPES, company),
        "education": choice_text(vb.EDUCATION, pick(rng, n, vb.EDUCATION_P)),
        "occupation": choice_text(vb.OCCUPATIONS, pick(rng, n, vb.OCCUPATION_P)),
        "marital_status": choice_text(vb.MARITAL, pick(rng, n, vb.MARITAL_P)),
        "children_count": tx.to_arrow(tx.digits(np.minimum(rng.poisson(1.1, n), 7)),
                                      rng.random(n) >= 0.4),
        "annual_income": tx.to_arrow(
            tx.where(rng.random(n) < 0.5, tx.money(income * 100), tx.digits(income)),
            rng.random(n) >= 0.45),
        "sms_opt_in": tx.to_arrow(tx.vocab(bools, sms), rng.random(n) >= 0.05),
        "email_opt_in": tx.to_arrow(tx.vocab(bools, mail), rng.random(n) >= 0.05),
    }
    pt = tx.Patcher(cols)
    pt.spaced("city", np.flatnonzero(rng.random(n) < 0.03), " ", "")  # free text ' Paris'
    styled(pt, "registered_at", reg, d)
    null_rows(pt, d["missing_required"], ["customer_id", "customer_id", "registered_at"])
    r = d["bad_email"]
    pt.set("email", r, cycle_words(vb.BAD_EMAILS, r.size))
    r = d["email_case_spaces"]
    pt.set("email", r, pc.binary_join_element_wise(
        " ", pc.utf8_upper(cols["email"].take(pa.array(r))), " ", ""))
    r = d["bad_country"]
    pt.set("country_code", r, cycle_words(vb.COUNTRY_DIRT, r.size))
    r = d["bad_birth_date"]
    even = np.arange(r.size) % 2 == 0
    bad_birth = np.where(even, g.as_of // DAY + rng.integers(30, 4000, r.size),  # future
                         -25_567 - rng.integers(1, 20_000, r.size))  # before 1900-01-01
    pt.set("birth_date", r, tx.to_arrow(tx.date(bad_birth)))
    r = d["bad_boolean"]
    pt.set("sms_opt_in", r, cycle_words(vb.BOOL_JUNK, r.size))
    r = d["bad_optional"]
    pt.set("children_count", r[0::3], "two")
    pt.set("annual_income", r[1::3], "n/a")
    pt.set("updated_at", r[2::3], "garbage")
    common_dirt(g, rng, st, "customers", pt, d, "customer_id", "registered_at", fk_cols=(),
                unknown_customer=False)
    t = table(pt.apply(), "customers")
    # duplicates: re-exports with a later updated_at and changed fields, exact copies, ties
    copies: dict[str, pa.Table] = {}
    r = d["dup_update"]
    c = t.take(pa.array(r))
    base = np.maximum(upd[r], reg[r])
    later = np.minimum(base + rng.integers(3600, 90 * DAY, r.size), g.as_of - 2)
    c = set_col(c, "updated_at", tx.to_arrow(tx.timestamp(later)))
    c = set_col(c, "email", tx.to_arrow(_emails(rng, num[r] + 7)))
    c = set_col(c, "sms_opt_in", tx.to_arrow(tx.vocab(bools, rng.integers(0, 14, r.size))))
    c = set_col(c, "city", tx.to_arrow(tx.vocab(cities, first[country[r]])))
    cp = tx.Patcher({"customer_id": c.column("customer_id").combine_chunks()})
    cp.spaced("customer_id", np.arange(0, r.size, 2))
    copies["dup_update"] = set_col(c, "customer_id", cp.apply()["customer_id"])
    copies["dup_exact"] = t.take(pa.array(d["dup_exact"]))
    r = d["dup_tie"]
    c = t.take(pa.array(r))
    c = set_col(c, "email", tx.to_arrow(_emails(rng, num[r] + 11)))
    c = set_col(c, "marital_status", cycle_words(["married", "single"], r.size))
    copies["dup_tie"] = c
    t = append_copies(st, "customers", t, copies)
    return t, clean_ids, reg
