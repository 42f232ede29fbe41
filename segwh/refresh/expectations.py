"""Great Expectations validation of the published marts, read from a DuckDB build file.

Great Expectations 1.x has no DuckDB SQL datasource, so each relation is read into a
pandas DataFrame with the duckdb Python API and validated with an ephemeral context and a
pandas datasource. The suites are JSON files in the repository (``gx/expectations/``), one
per relation, named ``<schema>.<relation>``. Two kinds of value are filled in per run as
suite parameters (``{"$PARAMETER": name}``):

- ``summary_member_count``: the member_count of the relation's segment in
  marts.segment_summary (segment sizes must equal the summary);
- ``row_count_min`` / ``row_count_max``: the change band around the row count of the
  previous publish (``--max-change``); unbounded when there is no previous publish.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from segwh.refresh.outcome import EXIT_CHANGE_BAND, EXIT_EXPECTATION_FAILED

CHANGE_BAND_CHECK = "change_band"


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    kwargs: dict[str, Any]
    success: bool
    check: str
    observed: Any = None
    unexpected_count: int | None = None
    examples: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        column = self.kwargs.get("column") or ",".join(
            str(self.kwargs[key]) for key in ("column_A", "column_B") if key in self.kwargs
        )
        target = f"{self.expectation}({column})" if column else self.expectation
        details = []
        if self.observed is not None:
            details.append(f"observed {self.observed}")
        if self.unexpected_count:
            details.append(f"{self.unexpected_count} unexpected, e.g. {self.examples[:3]}")
        bounds = {
            key: self.kwargs[key]
            for key in ("min_value", "max_value", "value")
            if key in self.kwargs
        }
        if bounds:
            details.append(f"expected {bounds}")
        return f"{self.suite}: {target} failed" + (f" ({'; '.join(details)})" if details else "")


def load_suites(directory: Path) -> list[dict[str, Any]]:
    """Every ``*.json`` suite in `directory`, sorted by name."""
    suites = []
    for path in sorted(directory.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        if "." not in suite.get("name", ""):
            raise ValueError(f"{path}: suite name must be <schema>.<relation>")
        suites.append(suite)
    if not suites:
        raise ValueError(f"no expectation suites (*.json) in {directory}")
    return suites


def change_band(previous: int | None, max_change: float) -> tuple[int, int | None]:
    """Allowed (min, max) rows given the previous count; unbounded without one."""
    if previous is None or previous == 0:
        return 0, None
    return math.floor(previous * (1 - max_change)), math.ceil(previous * (1 + max_change))


def keep_pyspark_connect_out() -> None:
    """Lets Great Expectations be imported from any process.

    Great Expectations' compatibility layer imports ``pyspark.sql.connect`` when pyspark is
    installed (it is, for the Spark target). Without grpc (Spark Connect is not used here),
    that package calls ``sys.exit(0)`` when the main module has no file — ``python -c``, a
    pytest-xdist worker — so the process ends silently, reporting success. Marking the
    package as absent makes Great Expectations take its own "not installed" path instead.
    """
    if "pyspark.sql.connect" not in sys.modules and importlib.util.find_spec("grpc") is None:
        sys.modules["pyspark.sql.connect"] = None  # type: ignore[assignment]


def _quiet_gx() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def _import_gx() -> None:
    # imported here, not at the top: Great Expectations takes seconds to import (scipy,
    # altair, pandas; ~5 s, twice that on a loaded machine) and reads GX_ANALYTICS_ENABLED
    # when imported (set just before); `status` and `rollback` never need it
    import great_expectations  # noqa: F401


def preload() -> threading.Thread:
    """Starts importing Great Expectations in a background thread while dbt builds the
    models (the refresh only waits for dbt then), so that the import is done by the time
    `validate` needs it (which imports it again: at once, or it waits for the thread's
    import to finish). Not a daemon thread: a refresh that fails before `validate` waits
    for the import to end before it exits."""
    _quiet_gx()
    keep_pyspark_connect_out()
    thread = threading.Thread(target=_import_gx, name="import-great-expectations")
    thread.start()
    return thread


def validate(
    database: Path,
    suites: list[dict[str, Any]],
    previous_counts: dict[str, int],
    max_change: float,
    on_relation: Callable[[str], None] | None = None,
) -> list[ExpectationOutcome]:
    """Validates every suite against its relation in `database` (opened read-only)."""
    _quiet_gx()
    keep_pyspark_connect_out()
    # imported here, at the first validation: Great Expectations takes about a second to
    # import and reads GX_ANALYTICS_ENABLED when imported (set just above); `status` and
    # `rollback` never need it
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite

    context = gx.get_context(mode="ephemeral")
    try:  # (imported with the rest of Great Expectations, see above)
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # noqa: BLE001 - cosmetic only
        pass
    datasource = context.data_sources.add_pandas("warehouse")
    outcomes: list[ExpectationOutcome] = []
    with duckdb.connect(str(database), read_only=True) as con:
        summary = dict(
            con.execute("select segment, member_count from marts.segment_summary").fetchall()
        )
        for spec in suites:
            relation = spec["name"]
            if on_relation is not None:
                on_relation(relation)
            frame = con.sql(f"select * from {relation}").df()
            schema, name = relation.split(".", 1)
            low, high = change_band(previous_counts.get(relation), max_change)
            parameters: dict[str, Any] = {"row_count_min": low, "row_count_max": high}
            if schema == "segments" and name in summary:
                parameters["summary_member_count"] = summary[name]
            suite = context.suites.add(ExpectationSuite(**spec))
            asset = datasource.add_dataframe_asset(relation)
            batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
                batch_parameters={"dataframe": frame}
            )
            result = batch.validate(suite, expectation_parameters=parameters)
            for item in result.results:
                config = item.expectation_config
                kwargs = {
                    key: value for key, value in config.kwargs.items() if key not in ("batch_id",)
                }
                kwargs = _resolve(kwargs, parameters)
                details = item.result or {}
                outcomes.append(
                    ExpectationOutcome(
                        suite=relation,
                        expectation=config.type,
                        kwargs=kwargs,
                        success=bool(item.success),
                        check=(config.meta or {}).get("check", "expectation"),
                        observed=_plain(details.get("observed_value")),
                        unexpected_count=details.get("unexpected_count"),
                        examples=[_plain(v) for v in details.get("partial_unexpected_list") or []],
                    )
                )
    return outcomes


def _resolve(kwargs: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    resolved = {}
    for key, value in kwargs.items():
        if isinstance(value, dict) and "$PARAMETER" in value:
            value = parameters.get(value["$PARAMETER"])
        resolved[key] = _plain(value)
    return resolved


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a value from a validation result."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return _plain(value.item())
    return str(value)


def outcomes_as_json(outcomes: list[ExpectationOutcome]) -> list[dict[str, Any]]:
    return [asdict(outcome) for outcome in outcomes]


def classify_failures(
    failed: list[ExpectationOutcome], max_change: float
) -> tuple[int, str] | None:
    """(exit code, one-line reason) for failed expectations; None when nothing failed.

    Any failure other than the change band gives 5 and names the first one; only
    change-band failures give 6.
    """
    if not failed:
        return None
    hard = [outcome for outcome in failed if outcome.check != CHANGE_BAND_CHECK]
    first = (hard or failed)[0]
    more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
    if hard:
        return EXIT_EXPECTATION_FAILED, f"expectation failed: {first.describe()}{more}"
    return (
        EXIT_CHANGE_BAND,
        f"change band ±{max_change:.0%} exceeded: {first.describe()}{more}",
    )
