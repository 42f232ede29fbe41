"""`make docs`: dbt's static documentation site builds, and everything in it is described.

Runs `dbt docs generate --static` on a copy of the acceptance warehouse and reads the
manifest and catalog: every model and snapshot has a description, every column the
warehouse really has is described, and the exposures for the dashboard and the campaign
exports are declared with what they read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run_dbt


def test_docs_generate_and_every_model_and_column_is_described(
    acceptance_db: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, warehouse)
    run_dbt(["docs", "generate", "--static"], warehouse, tmp_path)
    target = tmp_path / "target"
    static = target / "static_index.html"
    assert static.exists() and static.stat().st_size > 100_000

    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    undescribed: list[str] = []
    checked_models = 0
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "snapshot"):
            continue
        checked_models += 1
        if not node.get("description", "").strip():
            undescribed.append(unique_id)
        described = {
            name.lower()
            for name, column in node["columns"].items()
            if column.get("description", "").strip()
        }
        for column in catalog["nodes"].get(unique_id, {}).get("columns", {}):
            if column.lower() not in described:
                undescribed.append(f"{unique_id}.{column}")
    assert checked_models >= 30
    assert not undescribed, f"without a description: {undescribed}"

    exposures = {node["name"]: node for node in manifest["exposures"].values()}
    assert {"segment_dashboard", "campaign_exports"} <= set(exposures)
    dashboard_reads = set(exposures["segment_dashboard"]["depends_on"]["nodes"])
    assert "model.segmentation.segment_summary" in dashboard_reads
    assert "model.segmentation.customer_profile" in dashboard_reads
    export_reads = set(exposures["campaign_exports"]["depends_on"]["nodes"])
    assert "model.segmentation.stg_shop__customers" in export_reads
    assert not any(".customer_profile" in node for node in export_reads)
    for exposure in exposures.values():
        assert exposure["description"].strip() and exposure["owner"]["name"]
