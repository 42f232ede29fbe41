"""Planted checks on a built warehouse: the planted customers' segments."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb

from segwh.segments import SEGMENT_FLAGS


def check_planted(duckdb_path: Path, raw_dir: Path) -> dict[str, Any]:
    with open(raw_dir / "expected_segments.csv", newline="") as handle:
        expectations = list(csv.DictReader(handle))
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        profile = {
            row[0]: dict(zip(SEGMENT_FLAGS, row[1:], strict=True))
            for row in con.execute(
                f"select customer_id, {', '.join(SEGMENT_FLAGS.values())} "
                "from marts.customer_profile where customer_id like 'PLANT-%'").fetchall()
        }
    wrong = [f"{e['customer_id']} {e['segment']}" for e in expectations
             if profile.get(e["customer_id"], {}).get(e["segment"]) != (e["is_member"] == "true")]
    return {"checked": len(expectations), "wrong": wrong, "ok": not wrong}
