"""The lifetime-value step: its dbt models' times and the same fit alone in a plain process."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from segwh.bench.measure import run_measured

CLV_MODELS = ("int_clv_models_fitted", "int_customers_clv_predicted")


def clv_step(args: argparse.Namespace, dbt_step: dict[str, Any], dbt_db: Path) -> dict[str, Any]:
    """The CLV models' times inside the dbt step, and the CLV step alone in a plain process."""
    models = {name: dbt_step.get("models", {}).get(name) for name in CLV_MODELS}
    log = args.work / "clv.log"
    alone = run_measured([sys.executable, "-m", "segwh.clv.timing", str(dbt_db)],
                         dict(os.environ), log)
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    timing = json.loads(lines[-1]) if lines else {}
    return {
        "models": models,
        "models_seconds": round(sum(v for v in models.values() if v is not None), 2)
        if all(v is not None for v in models.values()) else None,
        "seconds": timing.get("seconds"),
        "peak_rss_mb": alone["peak_rss_mb"],
        "process_seconds": alone["seconds"],
        "exit": alone["exit"],
        **{key: timing.get(key) for key in (
            "buyers", "distinct_profiles", "read_seconds", "fit_seconds", "predict_seconds",
            "cpu_seconds", "cpu_read_seconds", "cpu_fit_seconds", "cpu_predict_seconds")},
    }
