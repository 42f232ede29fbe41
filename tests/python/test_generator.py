"""Tests of the raw-data generator (segwh.generate)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from segwh.generate import generate, main
from segwh.segments import SEGMENT_FLAGS

# The contract's tables and columns, in order (spec/raw-data.md), written out independently
# of the generator so that a drift in either is caught.
CONTRACT = {
    "customers": ["customer_id", "email", "phone", "gender", "birth_date", "registered_at",
                  "updated_at", "country_code", "region", "city", "work_city",
                  "acquisition_channel", "customer_type", "company_type", "education",
                  "occupation", "marital_status", "children_count", "annual_income",
                  "sms_opt_in", "email_opt_in"],
    "orders": ["order_id", "customer_id", "ordered_at", "status", "currency", "order_total",
               "discount_total", "coupon_code", "sales_channel", "updated_at"],
    "order_items": ["order_item_id", "order_id", "product_id", "quantity", "unit_price"],
    "products": ["product_id", "product_name", "category", "list_price"],
    "sessions": ["session_id", "customer_id", "started_at", "ended_at", "device_type",
                 "page_views", "traffic_source"],
    "carts": ["cart_id", "customer_id", "created_at", "updated_at", "completed_order_id",
              "cart_value", "currency", "item_count"],
}
EVENT_COLUMNS = {"customers": "registered_at", "orders": "ordered_at",
                 "sessions": "started_at", "carts": "created_at"}
AS_OF = datetime(2025, 7, 1, tzinfo=UTC)
SEGMENTS = set(SEGMENT_FLAGS) - {"geographic"}  # every segment has planted expectations
N = 2000


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def column(data: dict[str, tuple[list[str], list[list[str]]]], table: str,
           name: str) -> list[str]:
    header, rows = data[table]
    i = header.index(name)
    return [r[i] for r in rows]


def parse_ts(text: str) -> datetime | None:
    """The contract's timestamp reading (rule 2), or None when unparseable."""
    t = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?",
                        t):
        return None
    try:
        value = datetime.fromisoformat(t.replace(" ", "T"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("gen")
    generate(N, 7, d, "csv")
    return d


@pytest.fixture(scope="module")
def data(out: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    return {t: read(out / f"{t}.csv") for t in CONTRACT}


def test_help_exits_zero() -> None:
    r = subprocess.run([sys.executable, "-m", "segwh.generate", "--help"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0
    assert "--customers" in r.stdout and "--expectations-out" in r.stdout


def test_columns_in_contract_order(data: dict) -> None:
    for table, cols in CONTRACT.items():
        header, rows = data[table]
        assert header == cols, table
        assert rows, table
        assert all(len(r) == len(cols) for r in rows), table


def test_csv_is_plain_text_with_lf(out: Path) -> None:
    raw = (out / "orders.csv").read_bytes()
    assert b"\r\n" not in raw and raw.endswith(b"\n")
    assert raw.startswith(b"order_id,customer_id,")


def test_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(300, 11, a, "csv", chunk_customers=120)
    generate(300, 11, b, "csv", chunk_customers=120)
    for t in [*CONTRACT, "expected_segments"]:
        assert (a / f"{t}.csv").read_bytes() == (b / f"{t}.csv").read_bytes(), t
    ma = json.loads((a / "generator_manifest.json").read_text())
    mb = json.loads((b / "generator_manifest.json").read_text())
    ma["arguments"].pop("out"), mb["arguments"].pop("out")
    assert ma == mb
    c = tmp_path / "c"
    generate(300, 12, c, "csv", chunk_customers=120)
    assert (a / "orders.csv").read_bytes() != (c / "orders.csv").read_bytes()


def test_proportions(data: dict) -> None:
    cust_ids = [c.strip() for c in column(data, "customers", "customer_id")]
    n = len(set(c for c in cust_ids if c.startswith("C")))
    assert 0.97 * N <= n <= N
    orders = column(data, "orders", "customer_id")
    assert 8 * N <= len(orders) <= 12 * N
    assert 2.2 <= len(data["order_items"][1]) / len(orders) <= 2.8
    assert 25 * N <= len(data["sessions"][1]) <= 35 * N
    assert 2.5 * N <= len(data["carts"][1]) <= 3.5 * N
    assert 60 <= len(data["products"][1]) <= 200
    buyers = {o.strip() for o in orders if o.strip()}
    no_orders = sum(1 for c in set(cust_ids) if c.startswith("C") and c not in buyers)
    assert 0.3 * N <= no_orders <= 0.6 * N  # many customers never buy
    per_customer = Counter(o.strip() for o in orders if o.strip().startswith("C"))
    assert max(per_customer.values()) >= 60  # a long tail of heavy buyers
    assert sum(1 for o in orders if o == "") >= 0.02 * len(orders)  # guest orders
    sess_owner = column(data, "sessions", "customer_id")
    assert sum(1 for s in sess_owner if s == "") >= 0.05 * len(sess_owner)  # anonymous
    with_sessions = {s.strip() for s in sess_owner if s.strip()}
    assert sum(1 for c in set(cust_ids) if c.startswith("C") and c not in with_sessions) > 0
    completed = column(data, "carts", "completed_order_id")
    share = sum(1 for c in completed if c.strip()) / len(completed)
    assert 0.3 <= share <= 0.5
    statuses = Counter(s.strip().lower() for s in column(data, "orders", "status"))
    assert statuses["completed"] > statuses["cancelled"] > 0
    for s in ["delivered", "shipped", "paid", "placed", "refunded", "returned", "failed"]:
        assert statuses[s] > 0, s
    currencies = Counter(column(data, "orders", "currency"))
    assert currencies[""] > currencies["USD"] > currencies["EUR"] > 0
    for cur in ["GBP", "IRR", "CAD"]:
        assert currencies[cur] > 0
    coupons = column(data, "orders", "coupon_code")
    assert 0.2 <= sum(1 for c in coupons if c.strip()) / len(coupons) <= 0.4
    categories = {c.strip().lower() for c in column(data, "products", "category")}
    assert {"winter sports", "mountaineering", "mobile internet", "clothing", "books",
            "electronics", "home"} <= categories


def test_recent_open_carts_exist(data: dict) -> None:
    header, rows = data["carts"]
    created, done = header.index("created_at"), header.index("completed_order_id")
    recent = [r for r in rows if (ts := parse_ts(r[created])) is not None
              and AS_OF - timedelta(days=30) < ts <= AS_OF - timedelta(hours=1)
              and not r[done].strip()]
    assert len(recent) > 100


def test_latest_clean_event_is_as_of(data: dict) -> None:
    latest = max(ts for t, c in EVENT_COLUMNS.items() for v in column(data, t, c)
                 if (ts := parse_ts(v)) is not None and ts.year < 2090)
    assert latest == AS_OF


def test_every_dirt_kind_present(data: dict) -> None:
    def col(t: str, c: str) -> list[str]:
        return column(data, t, c)

    def any_(values: list[str], pred: object) -> bool:
        return any(pred(v) for v in values)  # type: ignore[operator]

    def spaced(v: str) -> bool:
        return v != v.strip() and v.strip() != ""

    known = {c.strip() for c in col("customers", "customer_id")}
    order_ids = {o.strip() for o in col("orders", "order_id")}
    product_ids = {p.strip() for p in col("products", "product_id")}
    # duplicated ids, exact duplicate rows, ties in updated_at
    for t, key in [("customers", "customer_id"), ("orders", "order_id"),
                   ("sessions", "session_id"), ("carts", "cart_id"),
                   ("order_items", "order_item_id"), ("products", "product_id")]:
        ids = Counter(v.strip() for v in col(t, key) if v.strip())
        assert max(ids.values()) >= 2, t
        rows = Counter(tuple(r) for r in data[t][1])
        assert max(rows.values()) >= 2, t
    cust = data["customers"]
    key = {}
    for r in cust[1]:
        key.setdefault((r[0].strip(), r[6]), set()).add(tuple(r))
    assert any(len(v) >= 2 for v in key.values())  # same id and updated_at, other content
    # stray spaces in ids and foreign keys
    for t, c in [("customers", "customer_id"), ("orders", "order_id"),
                 ("orders", "customer_id"), ("order_items", "order_id"),
                 ("order_items", "product_id"), ("sessions", "session_id"),
                 ("sessions", "customer_id"), ("carts", "cart_id"),
                 ("carts", "completed_order_id")]:
        assert any_(col(t, c), spaced), (t, c)
    # unknown references
    for t in ["orders", "sessions", "carts"]:
        assert any_(col(t, "customer_id"), lambda v: v.strip() and v.strip() not in known), t
    assert any_(col("order_items", "order_id"), lambda v: v.strip() and v.strip()
                not in order_ids)
    assert any_(col("order_items", "product_id"), lambda v: v.strip() and v.strip()
                not in product_ids)
    # missing required values
    for t, c in [("customers", "customer_id"), ("customers", "registered_at"),
                 ("orders", "order_id"), ("orders", "ordered_at"), ("orders", "status"),
                 ("orders", "order_total"), ("order_items", "quantity"),
                 ("sessions", "started_at"), ("carts", "created_at"),
                 ("products", "product_id")]:
        assert any_(col(t, c), lambda v: v.strip() == ""), (t, c)
    # unparseable values, invalid amounts and quantities
    for t, c in EVENT_COLUMNS.items():
        ts = col(t, c)
        assert any_(ts, lambda v: v.strip() and parse_ts(v) is None), t
        assert any_(ts, lambda v: v.startswith("2099-")), t
        assert any_(ts, lambda v: v.startswith(("1999-", "1970-"))), t
        assert any_(ts, lambda v: re.fullmatch(r"\d{4}-\d\d-\d\dT\S+", v.strip())), t
        assert any_(ts, lambda v: v.endswith("Z")), t
        assert any_(ts, lambda v: v.endswith(("+03:30", "-05:00"))), t
        assert any_(ts, lambda v: re.search(r":\d\d\.\d+", v)), t
        assert any_(ts, lambda v: re.fullmatch(r"\d{4}-\d\d-\d\d", v)), t
    assert any_(col("orders", "order_total"), lambda v: v.startswith("-"))
    assert any_(col("orders", "order_total"), lambda v: v in ("abc", "12,50", "N/A"))
    assert any_(col("orders", "discount_total"), lambda v: v.startswith("-"))
    assert any_(col("orders", "status"), lambda v: v == "pending_review")
    assert any_(col("orders", "currency"), lambda v: v == "XYZ")
    assert any_(col("orders", "currency"), lambda v: v.strip() != v.strip().upper())
    assert any_(col("orders", "status"), lambda v: v != v.strip().lower())
    assert any_(col("orders", "coupon_code"), lambda v: v == "  ")
    qty = col("order_items", "quantity")
    assert any_(qty, lambda v: v == "0")
    assert any_(qty, lambda v: v.startswith("-"))
    assert any_(qty, lambda v: v.strip() and not v.strip().lstrip("-").isdigit())
    assert any_(col("order_items", "unit_price"), lambda v: v.startswith("-"))
    # customers' free text, e-mails, phones, countries, birth dates, booleans
    assert any_(col("customers", "email"), lambda v: v in ("not-an-email", "a@b"))
    assert any_(col("customers", "email"), lambda v: spaced(v) and v != v.lower())
    phones = col("customers", "phone")
    assert any_(phones, lambda v: v.startswith("+") and " " in v)
    assert any_(phones, lambda v: re.fullmatch(r"0\d{10}", v))
    assert any_(phones, lambda v: re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", v))
    assert any_(phones, lambda v: re.fullmatch(r"\d{3}\.\d{3}\.\d{4}", v))
    countries = col("customers", "country_code")
    assert any_(countries, lambda v: spaced(v) and v.strip().islower())
    assert {"XX", "zz", ""} <= set(countries)
    genders = set(col("customers", "gender"))
    assert {"F", "female", "Woman", "male", " F "} <= genders
    channels = set(col("customers", "acquisition_channel"))
    assert {"sms", "SMS", " Search", "Instagram "} <= channels
    births = [b for b in col("customers", "birth_date") if b]
    assert any(b < "1900" for b in births) and any(b > "2026" for b in births)
    sms = set(col("customers", "sms_opt_in"))
    assert {"true", "false", "1", "0", "yes", "no", "Y", "T"} <= sms
    assert sms & {"maybe", "?", "N/A", "-"}
    assert {"individual", "Individual", "company", ""} <= set(col("customers", "customer_type"))
    assert "semi_private" in set(col("customers", "company_type"))


def test_dirt_rate_zero_is_clean(tmp_path: Path) -> None:
    generate(200, 3, tmp_path, "csv", dirt_rate=0.0)
    _, rows = read(tmp_path / "orders.csv")
    assert not any(r[0] != r[0].strip() or r[0] == "" for r in rows)
    assert not any(r[5].startswith("-") or r[3] == "pending_review" for r in rows)
    assert len({r[0] for r in rows}) == len(rows)


def test_parquet_matches_csv(tmp_path: Path) -> None:
    mc = generate(300, 5, tmp_path / "c", "csv")
    mp = generate(300, 5, tmp_path / "p", "parquet")
    assert mc["rows"] == mp["rows"]
    for t, cols in CONTRACT.items():
        tab = pq.read_table(tmp_path / "p" / f"{t}.parquet")
        assert tab.column_names == cols, t
        assert all(f.type == pa.string() for f in tab.schema), t
        assert tab.num_rows == mp["rows"][t] == len(read(tmp_path / "c" / f"{t}.csv")[1])
    ids = pq.read_table(tmp_path / "p" / "orders.parquet").column("order_id").to_pylist()
    assert any(i is not None and i != i.strip() for i in ids)  # ' O000012 ' survives


def test_planted_customers_and_expectations(out: Path, data: dict) -> None:
    manifest = json.loads((out / "generator_manifest.json").read_text())
    assert manifest["as_of"] == "2025-07-01 00:00:00"
    assert manifest["latest_clean_event_at"] == "2025-07-01 00:00:00"
    assert manifest["seed"] == 7
    planted = manifest["planted_customers"]
    assert len(planted) >= 30
    cust = set(column(data, "customers", "customer_id"))
    assert set(planted) <= cust
    header, rows = read(out / "expected_segments.csv")
    assert header == ["customer_id", "segment", "is_member"]
    assert {r[0] for r in rows} == set(planted)
    assert {r[1] for r in rows} == SEGMENTS
    assert {r[2] for r in rows} == {"true", "false"}
    got = {(r[0], r[1]): r[2] == "true" for r in rows}
    assert got[("PLANT-VIP-1", "vip")] and got[("PLANT-VIP-2", "vip")]
    assert not got[("PLANT-VIP-NEG-1", "vip")]
    assert got[("PLANT-HES-1", "hesitant")] and got[("PLANT-HES-2", "hesitant")]
    assert not got[("PLANT-HES-NEG-2", "hesitant")]
    assert got[("PLANT-RNO-1", "registered_no_order")]
    assert not got[("PLANT-RNO-NEG-1", "registered_no_order")]
    assert got[("PLANT-LOY-1", "loyal")] and not got[("PLANT-LOY-1", "hesitant")]
    assert got[("PLANT-OTB-1", "one_time_buyers")] and got[("PLANT-OTB-2", "one_time_buyers")]
    assert got[("PLANT-COUP-1", "coupon_lovers")] and got[("PLANT-COUP-2", "coupon_lovers")]
    assert not got[("PLANT-COUP-NEG-1", "coupon_lovers")]
    # at risk depends on the BG/NBD fit: only "never" is certain (one order, or not a VIP)
    assert not got[("PLANT-VIP-NEG-1", "at_risk_high_value")]
    assert not got[("PLANT-OTB-1", "at_risk_high_value")]
    assert ("PLANT-VIP-1", "at_risk_high_value") not in got
    assert not any(v for (_, segment), v in got.items() if segment == "at_risk_high_value")
    for c in ["PLANT-CART-1", "PLANT-CART-2", "PLANT-CART-3", "PLANT-CART-4",
              "PLANT-CART-5"]:
        assert got[(c, "cart_abandoners")], c
    for c in ["PLANT-CART-NEG-1", "PLANT-CART-NEG-2", "PLANT-CART-NEG-3", "PLANT-CART-NEG-4",
              "PLANT-CART-NEG-5", "PLANT-CART-NEG-6", "PLANT-CART-NEG-7"]:
        assert not got[(c, "cart_abandoners")], c
    # planted rows carry no dirt
    for t in ["customers", "orders", "order_items", "sessions", "carts"]:
        for r in data[t][1]:
            if any(v.startswith("PLANT-") for v in r):
                assert all(v == v.strip() for v in r), (t, r)
                assert all(parse_ts(v) for h, v in zip(data[t][0], r, strict=True)
                           if h.endswith("_at") and v), (t, r)
    # the VIPs are far above every random customer (amounts in USD, approximate rates)
    usd = {"": 1.0, "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CAD": 0.73, "IRR": 1 / 42_000,
           "TRY": 0.031, "AED": 0.2723, "INR": 0.012, "BRL": 0.18}
    totals: Counter[str] = Counter()
    for r in data["orders"][1]:
        try:
            totals[r[1].strip()] += float(r[5]) * usd.get(r[4].strip().upper(), 0.0)
        except ValueError:
            pass
    random_max = max(v for k, v in totals.items() if not k.startswith("PLANT-"))
    assert totals["PLANT-VIP-1"] > 10 * random_max


def test_expectations_out_and_cli(tmp_path: Path) -> None:
    rc = main(["--customers", "50", "--out", str(tmp_path / "o"), "--expectations-out",
               str(tmp_path / "e"), "--quiet", "--as-of", "2024-01-01"])
    assert rc == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == sorted(
        f"{t}.csv" for t in CONTRACT)
    manifest = json.loads((tmp_path / "e" / "generator_manifest.json").read_text())
    assert manifest["as_of"] == "2024-01-01 00:00:00"
    assert (tmp_path / "e" / "expected_segments.csv").exists()


# --- raw layouts: a full export per table, or a folder of daily deliveries -------------
DELIVERED = ["orders", "order_items", "sessions", "carts"]  # folders in the deliveries layout
DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.(csv|parquet)")
KEYS = {"orders": "order_id", "carts": "cart_id"}  # the tables with tombstones


def generate_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "segwh.generate", "--quiet", *args],
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """The same shop (seed 5) as one export file per table, and as daily deliveries with
    tombstones and an erasure list (written by the command line)."""
    root = tmp_path_factory.mktemp("layouts")
    generate(300, 5, root / "export", "parquet")
    r = generate_cli("--customers", "300", "--seed", "5", "--format", "parquet",
                     "--layout", "deliveries", "--tombstone-rate", "0.02", "--erasures", "3",
                     "--out", str(root / "deliveries"))
    assert r.returncode == 0, r.stderr
    manifest = json.loads((root / "deliveries" / "generator_manifest.json").read_text())
    return root / "export", root / "deliveries", manifest


def scan(path: Path) -> str:
    """SQL reading a raw file, or every file of a folder."""
    if path.is_dir():
        return f"read_parquet('{path}/*.parquet', filename = true)"
    return f"read_{path.suffix[1:]}('{path}')"


def test_deliveries_hold_the_export_rows_in_one_file_per_day(layouts) -> None:
    export, deliveries, manifest = layouts
    assert manifest["layout"] == "deliveries"
    con = duckdb.connect()
    for table, columns in CONTRACT.items():
        if table in DELIVERED:
            assert not (deliveries / f"{table}.parquet").exists(), table
            names = [p.name for p in (deliveries / table).iterdir()]
            assert len(names) > 100 and all(DAY_FILE.fullmatch(n) for n in names), table
            assert manifest["files"][table] == len(names)
            got = f"select {', '.join(columns)} from {scan(deliveries / table)} " \
                  "where _deleted is null"
        else:  # customers and products stay full exports
            assert not (deliveries / table).exists(), table
            got = f"select * from {scan(deliveries / f'{table}.parquet')}"
        want = f"select * from {scan(export / f'{table}.parquet')}"
        assert con.execute(f"select count(*) from (({got}) except all ({want}))").fetchone() \
            == con.execute(f"select count(*) from (({want}) except all ({got}))").fetchone() \
            == (0,), table
        total = con.execute(f"select count(*) from ({want})").fetchone()[0]
        assert total + manifest["tombstones"].get(table, 0) == manifest["rows"][table], table


def test_a_delivery_file_holds_its_days_versions_and_their_lines(layouts) -> None:
    _, deliveries, manifest = layouts
    con = duckdb.connect()
    day_of_order: dict[str, str] = {}
    orders = con.execute(f"select filename, order_id, ordered_at, updated_at "
                         f"from {scan(deliveries / 'orders')}").fetchall()
    for filename, order_id, ordered_at, updated_at in orders:
        day = Path(filename).name[:10]
        version = parse_ts(updated_at or "") or parse_ts(ordered_at or "")
        if version and datetime(2000, 1, 1, tzinfo=UTC) <= version <= AS_OF:
            assert day == version.astimezone(UTC).strftime("%Y-%m-%d"), order_id  # changed
        else:  # no readable version time: delivered on the last day
            assert day == manifest["as_of"][:10], (order_id, ordered_at, updated_at)
        if order_id:
            day_of_order[order_id.strip()] = min(day, day_of_order.get(order_id.strip(), day))
    items = con.execute(f"select filename, order_id from {scan(deliveries / 'order_items')}")
    for filename, order_id in items.fetchall():
        # a line comes with the first delivery of its order; lines of no order: last day
        want = day_of_order.get((order_id or "").strip(), manifest["as_of"][:10])
        assert Path(filename).name[:10] == want, order_id


def test_tombstones_delete_the_latest_version_and_erasures_name_customers(layouts) -> None:
    _, deliveries, manifest = layouts
    con = duckdb.connect()
    for table, key in KEYS.items():
        rows = [dict(zip([d[0] for d in cursor.description], row, strict=True))
                for cursor in [con.execute(f"select * from {scan(deliveries / table)}")]
                for row in cursor.fetchall()]
        tombs = [x for x in rows if x["_deleted"] is not None]
        assert len(tombs) == manifest["tombstones"][table] > 0, table
        assert {x["_deleted"] for x in tombs} == {"true"}, table
        for tomb in tombs:  # the latest version of a random customer's existing id
            versions = [x for x in rows if (x[key] or "").strip() == tomb[key].strip()]
            assert tomb["customer_id"].strip().startswith("C") and len(versions) >= 2, tomb
            others = [parse_ts(x["updated_at"] or "") or parse_ts(x[EVENT_COLUMNS[table]] or "")
                      for x in versions if x is not tomb]
            assert all(v is None or v < parse_ts(tomb["updated_at"]) for v in others), tomb
            assert parse_ts(tomb["updated_at"]) < AS_OF
    erased = con.execute(f"select * from {scan(deliveries / 'erasures.parquet')}").fetchall()
    assert len(erased) == 3 and sorted(manifest["erasures"]) == sorted(r[0] for r in erased)
    customers = {r[0] for r in con.execute(
        f"select trim(customer_id) from {scan(deliveries / 'customers.parquet')}").fetchall()}
    assert {r[0] for r in erased} <= customers
    assert all(r[0].startswith("C") and parse_ts(r[1]) for r in erased)


def test_deliveries_as_csv(tmp_path: Path) -> None:
    generate(40, 3, tmp_path / "e", "csv")
    r = generate_cli("--customers", "40", "--seed", "3", "--layout", "deliveries",
                     "--out", str(tmp_path / "d"))
    assert r.returncode == 0, r.stderr
    for table in DELIVERED:
        files = sorted((tmp_path / "d" / table).glob("*.csv"))
        assert files and all(read(f)[0] == CONTRACT[table] for f in files), table
        assert sum(len(read(f)[1]) for f in files) == len(read(tmp_path / "e" / f"{table}.csv")[1])


def test_tombstones_need_the_deliveries_layout(tmp_path: Path) -> None:
    r = generate_cli("--customers", "20", "--tombstone-rate", "0.01",
                     "--out", str(tmp_path / "x"))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "--tombstone-rate" in r.stderr, r.stderr
