"""Vars are checked before anything runs: a bad var fails the invocation with one line
naming it (every bad var of the invocation at once), no Python traceback, nothing built
and no SQL built from the bad value; an undeclared var (a typo) is a one-line warning.

Each dbt invocation costs a full parse (new vars always re-parse), so the bad vars are
grouped: one invocation per group, shared by the cases of that group (module-scoped cache).
A var that names something runs alone when its check must come before any SQL (the
injection) or needs SQL itself (the currency rate). Every run is `dbt run -s
int_as_of_resolved` on a fresh DuckDB file: with as_of set that model reads nothing, so a
run that passes the checks builds exactly one relation.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import output_of, output_tail, run_dbt

TRACEBACK = "Traceback (most recent call last)"
AS_OF = "2025-07-01 00:00:00"
RUN_ONE_CHEAP_MODEL = ["run", "--select", "int_as_of_resolved"]

# The injection of issue 13, verbatim except for the file it writes (under tmp_path).
INJECTION = (
    "zz'; copy (select 42 as x) to '{target}'; select 'a' as database, 'b' as name, "
    "'c' as schema, 'table' as type from system.information_schema.tables where '1'='1"
)

# group -> the vars of one invocation (the value {target} is filled in per run).
GROUPS: dict[str, dict[str, object]] = {
    "injection": {"raw_schema": INJECTION},
    "many": {
        "as_of": "2025-13-45",
        "min_valid_date": "2000-02-30",
        "recent_days": 99999999999,
        "loyal_min_orders": -5,
        "vip_top_percent": "abc",
        "coupon_lover_min_share": 1.5,
        "raw_encoding": "ebcdic",
        "raw_path": "/data/shop's export",
    },
    "zone": {
        "as_of": "2025-07-01 00:00:00+99:99",
        "min_valid_date": "yesterday",
        "cart_abandon_after_hours": True,
        "raw_path": "/data/shop\nexport",
        "raw_schema": "shop_raw",
    },
    "currency": {"as_of": AS_OF, "reporting_currency": "XYZ"},
}

# (group, var the line must name, words the same line must hold)
BAD_VAR_CASES = [
    ("injection", "raw_schema", ["identifier"]),
    ("many", "as_of", ["2025-13-45"]),
    ("many", "min_valid_date", ["2000-02-30"]),
    ("many", "recent_days", ["99999999999", "36500"]),
    ("many", "loyal_min_orders", ["-5"]),
    ("many", "vip_top_percent", ["abc"]),
    ("many", "coupon_lover_min_share", ["1.5"]),
    ("many", "raw_encoding", ["ebcdic", "utf-8", "latin-1", "utf-16"]),
    ("many", "raw_path", ["quote"]),
    ("zone", "as_of", ["+99:99"]),
    ("zone", "cart_abandon_after_hours", ["true"]),
    ("zone", "min_valid_date", ["yesterday"]),
    ("zone", "raw_path", ["control"]),
    ("zone", "raw_schema", ["raw_path", "both"]),
    ("currency", "reporting_currency", ["XYZ", "currency_rates.csv"]),
]


def _lines_with(result: subprocess.CompletedProcess[str], *needles: str) -> list[str]:
    """Lines of dbt's output that contain every needle (case-insensitive)."""
    return [
        line
        for line in output_of(result).splitlines()
        if all(needle.lower() in line.lower() for needle in needles)
    ]


def _relations_in(duckdb_path: Path) -> list[tuple[str, str]]:
    """(schema, name) of every table and view in the DuckDB file (none if there is no file)."""
    if not duckdb_path.exists():
        return []
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        return con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()


class Run:
    def __init__(self, result: subprocess.CompletedProcess[str], duckdb_path: Path, target: Path):
        self.result = result
        self.duckdb_path = duckdb_path
        self.target = target


@pytest.fixture(scope="module")
def run_group(tmp_path_factory: pytest.TempPathFactory):
    """Runs the cheap model once per group of vars; later calls reuse the result."""
    runs: dict[str, Run] = {}

    def run(group: str) -> Run:
        if group not in runs:
            tmp = tmp_path_factory.mktemp(f"vars-{group}")
            target = tmp / "x.csv"
            vars_ = {
                name: value.format(target=target) if isinstance(value, str) else value
                for name, value in GROUPS[group].items()
            }
            duckdb_path = tmp / "warehouse.duckdb"
            result = run_dbt(RUN_ONE_CHEAP_MODEL, duckdb_path, tmp, vars=vars_, check=False)
            runs[group] = Run(result, duckdb_path, target)
        return runs[group]

    return run


@pytest.mark.parametrize(
    ("group", "var_name", "words"),
    BAD_VAR_CASES,
    ids=[f"{group}-{var_name}" for group, var_name, _ in BAD_VAR_CASES],
)
def test_bad_var_fails_before_anything_runs(run_group, group, var_name, words):
    run = run_group(group)
    result, tail = run.result, output_tail(run.result)
    assert result.returncode != 0, f"dbt should have failed on var {var_name}:\n{tail}"
    assert TRACEBACK not in output_of(result), f"dbt printed a Python traceback:\n{tail}"
    lines = _lines_with(result, f"var {var_name}", *words)
    assert lines, f"no line names var {var_name} with {words}:\n{tail}"
    assert all(len(line) < 500 for line in lines), f"not one clear line:\n{lines}"
    assert "START sql" not in output_of(result), f"a model started:\n{tail}"
    assert _relations_in(run.duckdb_path) == [], "the failed run built relations"
    assert not run.target.exists(), f"SQL built from a var ran: {run.target} was written"


def test_typo_warns_and_valid_forms_run(tmp_path):
    """A misspelled var is a warning naming the closest declared var, not an error; a
    `±HHMM` zone, a lower-case currency with a rate pass and are read as documented."""
    duckdb_path = tmp_path / "warehouse.duckdb"
    result = run_dbt(
        RUN_ONE_CHEAP_MODEL,
        duckdb_path,
        tmp_path,
        vars={
            "as_of": "2025-07-01 00:00:00+0530",
            "vip_top_percnet": 3,
            "reporting_currency": "eur",
            "raw_encoding": "latin-1",
        },
    )
    warnings = _lines_with(result, "vip_top_percnet", "vip_top_percent")
    assert len(warnings) == 1, f"expected one warning line:\n{output_tail(result)}"
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        as_of = con.execute("select as_of from intermediate.int_as_of_resolved").fetchone()[0]
    assert str(as_of) == "2025-06-30 18:30:00"
