"""The shop's time zone (var shop_timezone, issue 15): zone-less raw timestamps and a
zone-less as_of are wall-clock times of the shop, stored in UTC; a bad zone name stops
the build with one line naming the var.

The readings are checked at the boundaries through `dbt show` on the project's own macros
(parse_timestamp and as_of_literal, what every raw row and the as_of var go through):
just before and at local midnight, a bare date, a zone given in the text (kept), and the
two DST changes of Europe/Berlin in 2025 (a skipped and a repeated hour). The unit tests
in the YAML of the models they test (models/intermediate/<model>.yml) cover the calendar
days built on them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from conftest import FIXTURE_AS_OF, FIXTURE_RAW_DIR, output_of, output_tail, run_dbt

TRACEBACK = "Traceback (most recent call last)"

# raw text -> the UTC instant it denotes in a shop on Europe/Berlin (CEST = +02:00 in
# summer; 2025-03-30 02:00-03:00 does not exist, 2025-10-26 02:00-03:00 happens twice)
BERLIN_READINGS = {
    "just_before_midnight": ("2025-06-30 23:59:59", "2025-06-30 21:59:59"),
    "at_midnight": ("2025-07-01 00:00:00", "2025-06-30 22:00:00"),
    "bare_date": ("2025-07-01", "2025-06-30 22:00:00"),
    "t_separator_fraction": ("2025-07-01T00:00:00.5", "2025-06-30 22:00:00.5"),
    "zone_z_kept": ("2025-07-01 00:00:00Z", "2025-07-01 00:00:00"),
    "offset_kept": ("2025-07-01 00:00:00+02:00", "2025-06-30 22:00:00"),
    "dst_skipped_hour_moves_forward": ("2025-03-30 02:30:00", "2025-03-30 01:30:00"),
    "dst_before_the_change": ("2025-03-30 01:59:59", "2025-03-30 00:59:59"),
    "dst_repeated_hour_takes_the_first": ("2025-10-26 02:30:00", "2025-10-26 00:30:00"),
    "dst_after_the_repeat": ("2025-10-26 03:00:00", "2025-10-26 02:00:00"),
}


def show(query: str, tmp_path, vars: dict) -> dict:
    result = run_dbt(
        ["show", "--inline", query, "--output", "json", "--log-format", "json"],
        tmp_path / "warehouse.duckdb",
        tmp_path,
        vars=vars,
    )
    for line in output_of(result).splitlines():
        data = json.loads(line).get("data", {}) if line.startswith("{") else {}
        if "preview" in data:
            return json.loads(data["preview"])[0]
    raise AssertionError(output_tail(result))


def as_instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "")).replace(tzinfo=None)


def test_zone_less_times_are_read_on_the_shop_clock(tmp_path) -> None:
    columns = [
        f"{{{{ parse_timestamp(\"'{raw}'\") }}}} as {name}"
        for name, (raw, _) in BERLIN_READINGS.items()
    ]
    columns.append("{{ as_of_literal() }} as as_of")
    shown = show(
        "select " + ", ".join(columns),
        tmp_path,
        {"shop_timezone": "Europe/Berlin", "as_of": "2025-07-01"},
    )
    got = {name: as_instant(shown[name]) for name in BERLIN_READINGS}
    expected = {name: as_instant(utc) for name, (_, utc) in BERLIN_READINGS.items()}
    assert got == expected
    # a bare-date as_of is midnight at its start on the shop's clock
    assert as_instant(shown["as_of"]) == dt.datetime(2025, 6, 30, 22, 0, 0)


def test_bad_shop_timezone_fails_naming_the_var(tmp_path) -> None:
    result = run_dbt(
        ["build", "--select", "int_as_of_resolved"],
        tmp_path / "warehouse.duckdb",
        tmp_path,
        vars={"shop_timezone": "Mars/Olympus_Mons"},
        check=False,
    )
    out = output_of(result)
    assert result.returncode != 0, output_tail(result)
    assert TRACEBACK not in out, output_tail(result)
    assert "OK created" not in out, output_tail(result)
    lines = [line for line in out.splitlines() if "shop_timezone" in line and "Mars" in line]
    assert lines, output_tail(result)


def test_a_shop_zone_on_the_command_line_fails_no_unit_test(
    acceptance_db: Path, tmp_path: Path
) -> None:
    """`dbt build --vars '{shop_timezone: ...}'` runs the unit tests too (so does `make
    refresh`): their fixtures are written for UTC (or for the zone they override), so the
    shop's zone must not leak into them. Run on a copy of the acceptance warehouse (unit
    tests read the column types of their inputs), for the models whose rules use the zone."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, warehouse)
    # the models whose rules count calendar days or take the rate of a day
    models = [
        "int_customers_metrics", "int_customers_attributes", "int_customers_purchase_cycle",
        "int_customers_stages_and_scores", "int_counted_purchases",
    ]
    result = run_dbt(
        ["test", "--resource-type", "unit_test", "--select", *models],
        warehouse,
        tmp_path,
        vars={"raw_path": str(FIXTURE_RAW_DIR), "as_of": FIXTURE_AS_OF,
              "shop_timezone": "Asia/Tehran"},
        check=False,
    )
    assert result.returncode == 0, output_tail(result)
    assert "PASS=" in output_of(result) and " PASS=0 " not in output_of(result)
