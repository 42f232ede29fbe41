"""Benchmark of the warehouse on generated data (``make bench``; ``python -m segwh.bench --help``).

Measures, side by side, on N generated customers (the data is cached in ``--data-root``):

* ``build``: a full ``dbt build`` (every model, seed, data and unit test) into a new file;
* ``run``: a full ``dbt run`` (models only) into a new file;
* ``floor``: the engine floor: the compiled SQL of every model of that run, executed in
  the same order in one plain DuckDB connection with the same settings, without dbt;
* ``scan``: the scan floor: every raw file read once (``count(*)`` and ``max`` of every
  column, so that every column is read);
* ``write``: the write floor: every raw row written once into a table of a new DuckDB
  file, its columns cast to the types of the clean tables (``stg_shop__<t>_checked`` of
  the ``run`` warehouse) by a plain ``try_cast``: no cleaning, checks, deduplication,
  quarantine or customer models. The least work of any design that keeps the rows at
  their grain (which incremental refreshes and row-level tests need);
* ``incremental``: one day of new data appended to the raw files (new orders, lines,
  sessions, carts, a few late-arriving rows inside the lookback window and re-exported
  orders with a later ``updated_at``), then ``dbt build`` on the warehouse of ``build``;
* ``planted``: the planted customers' segments (after ``build``) against the generator's
  ``expected_segments.csv``;
* ``clv``: the lifetime-value step (issue 16): the two dbt Python models
  (``int_clv_models_fitted``, ``int_customers_clv_predicted``) as timed inside the
  ``build`` or ``run`` step (``run`` is done when neither is asked for), and the same fit and
  predictions alone in a plain process (``python -m segwh.clv.timing``) with its peak memory.

With ``--engine spark`` only ``build`` runs, as ``dbt build --target spark_thrift`` against
the Spark cluster at ``SPARK_THRIFT_HOST``/``SPARK_THRIFT_PORT`` (``make spark-cluster``);
the floors, the incremental day and the planted check read DuckDB files. Peak memory is
then dbt's alone (the cluster's JVMs are other processes).

Wall times, per-model times (from ``run_results.json``) and the peak resident memory of
the whole process tree (polled from ``/proc``; on other systems the largest child's
``ru_maxrss``) are printed as a table and written to ``build/bench/<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from segwh.segments import SEGMENT_FLAGS

REPO_ROOT = Path(__file__).resolve().parents[1]
RAW_TABLES = ("customers", "orders", "order_items", "products", "sessions", "carts")
FLAGS = SEGMENT_FLAGS  # segment relation -> profile flag (macros/segment_flags.sql)
STEPS = ("build", "run", "floor", "scan", "write", "incremental", "planted", "clv")
CLV_MODELS = ("int_clv_models_fitted", "int_customers_clv_predicted")
# issue 5's targets at 1M customers: (what, ratio or report key, limit)
TARGETS = (
    ("dbt run <= 45 s", ("run", "seconds"), 45),
    ("full dbt build <= 90 s", ("build", "seconds"), 90),
    ("peak RSS <= 4 GB (MB)", ("dbt", "peak_rss_mb"), 4096),
    ("run / engine floor <= 1.25", ("ratios", "run_over_engine_floor"), 1.25),
    ("incremental / build <= 0.15", ("ratios", "incremental_over_build"), 0.15),
)
# issue 16's targets for the CLV step at 1M customers
CLV_TARGETS = (
    ("CLV models in dbt <= 15 s", ("clv", "models_seconds"), 15),
    ("CLV alone <= 15 s", ("clv", "seconds"), 15),
    ("CLV alone peak RSS <= 1 GB (MB)", ("clv", "peak_rss_mb"), 1024),
)


# --- memory -------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class PeakMemory:
    """Polls the resident memory of a process tree every 0.2 s until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self.available = os.path.isdir("/proc")
        if self.available:
            self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, _tree_rss(self.pid))
            except Exception:  # noqa: BLE001 - a vanished process is fine
                pass
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        if self.available:
            self._thread.join()
        return self.peak


def run_measured(command: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    """Runs `command`, returns wall seconds, peak tree RSS and the exit code."""
    start = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        memory = PeakMemory(process.pid)
        code = process.wait()
        peak = memory.stop()
    seconds = time.perf_counter() - start
    if not peak:
        import resource  # noqa: PLC0415 - fallback only
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20), "exit": code}


# --- data ---------------------------------------------------------------------------


def data_dir(args: argparse.Namespace) -> Path:
    name = str(args.customers) if args.seed == 42 else f"{args.customers}-seed{args.seed}"
    return args.data_root / name


def ensure_data(args: argparse.Namespace) -> tuple[Path, dict[str, Any], float | None]:
    """The generated data for these args, generated only when not cached."""
    directory = data_dir(args)
    manifest_path = directory / "generator_manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (manifest["arguments"]["customers"] == args.customers
                and manifest["arguments"]["seed"] == args.seed
                and manifest["arguments"]["format"] == "parquet"):
            return directory, manifest, None
    shutil.rmtree(directory, ignore_errors=True)
    start = time.perf_counter()
    command = [sys.executable, "-m", "segwh.generate", "--customers", str(args.customers),
               "--seed", str(args.seed), "--format", "parquet", "--out", str(directory)]
    subprocess.run(command, cwd=REPO_ROOT, check=True)
    return directory, json.loads(manifest_path.read_text()), time.perf_counter() - start


def raw_source(directory: Path, table: str) -> str:
    """The SQL that reads one raw parquet file of `directory`."""
    return f"read_parquet('{directory / (table + '.parquet')}')"


def column_names(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    return [c[0] for c in con.execute(f"describe select * from {source}").fetchall()]


def remove_database(path: Path) -> None:
    """Deletes a DuckDB file and its write-ahead log, if they exist."""
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _ts(column: str) -> str:
    return f"try_cast(trim({column}) as timestamp)"


def _fmt(expression: str) -> str:
    return f"strftime({expression}, '%Y-%m-%d %H:%M:%S')"


def ensure_next_day(directory: Path, manifest: dict[str, Any]) -> Path:
    """A copy of the raw files with one more day of data appended (cached).

    The new day repeats the clean events of the data's last day one day later under new
    ids (``N1-`` prefix), adds late-arriving rows two days before the old as_of (``L1-``)
    and re-exports 0.1 % of the orders with a changed status and a later updated_at.
    """
    target = directory.parent / f"{directory.name}-plus1day"
    if (target / "DONE").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    as_of = manifest["as_of"]
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")

    def raw(table: str) -> str:
        return raw_source(directory, table)

    last_day = f"{_ts('ordered_at')} > timestamp '{as_of}' - interval 1 day " \
               f"and {_ts('ordered_at')} <= timestamp '{as_of}'"
    late = f"{_ts('ordered_at')} > timestamp '{as_of}' - interval 3 day " \
           f"and {_ts('ordered_at')} <= timestamp '{as_of}' - interval 2 day"
    con.execute(f"""
        create temp table new_orders as
        select 'N1-' || trim(order_id) as new_id, trim(order_id) as old_id,
               interval 1 day as shift, * exclude (order_id)
        from {raw('orders')} where {last_day} and trim(customer_id) like 'C%'
        union all
        select 'L1-' || trim(order_id), trim(order_id), interval 0 day, * exclude (order_id)
        from (select * from {raw('orders')} where {late} using sample 5 percent (bernoulli, 7))
    """)
    order_columns = column_names(con, raw("orders"))

    def shifted(columns: list[str], replace: dict[str, str]) -> str:
        return ", ".join(f"{replace[c]} as {c}" if c in replace else c for c in columns)

    later = f"timestamp '{as_of}' + interval 12 hour"
    con.execute(f"""
        copy (
            select * from {raw('orders')}
            union all
            select {shifted(order_columns, {
                'order_id': 'new_id',
                'ordered_at': _fmt(_ts('ordered_at') + ' + shift'),
                'updated_at': _fmt(_ts('updated_at') + ' + shift')})}
            from new_orders
            union all
            select {shifted(order_columns, {'status': "'completed'", 'updated_at': _fmt(later)})}
            from (select * from {raw('orders')} using sample 0.1 percent (bernoulli, 11))
            where {_ts('ordered_at')} <= timestamp '{as_of}'
        ) to '{target / 'orders.parquet'}' (format parquet)
    """)
    item_columns = column_names(con, raw("order_items"))
    con.execute(f"""
        copy (
            select * from {raw('order_items')}
            union all
            select {shifted(item_columns, {
                'order_item_id': "left(new_orders.new_id, 3) || trim(items.order_item_id)",
                'order_id': 'new_orders.new_id'})}
            from {raw('order_items')} as items
            inner join new_orders on trim(items.order_id) = new_orders.old_id
        ) to '{target / 'order_items.parquet'}' (format parquet)
    """)
    for table, key, event, extra in (
        ("sessions", "session_id", "started_at", ["ended_at"]),
        ("carts", "cart_id", "created_at", ["updated_at"]),
    ):
        columns = column_names(con, raw(table))
        replace = {key: f"'N1-' || trim({key})",
                   event: _fmt(_ts(event) + " + interval 1 day")}
        replace.update({c: _fmt(_ts(c) + " + interval 1 day") for c in extra})
        if table == "carts":
            replace["completed_order_id"] = (
                "case when completed_order_id is not null "
                "then 'N1-' || trim(completed_order_id) end")
        con.execute(f"""
            copy (
                select * from {raw(table)}
                union all
                select {shifted(columns, replace)}
                from {raw(table)}
                where {_ts(event)} > timestamp '{as_of}' - interval 1 day
                    and {_ts(event)} <= timestamp '{as_of}'
            ) to '{target / (table + '.parquet')}' (format parquet)
        """)
    for table in ("customers", "products"):
        shutil.copyfile(directory / f"{table}.parquet", target / f"{table}.parquet")
    counts = {t: con.execute(f"select count(*) from {raw_source(target, t)}")
              .fetchone()[0] for t in RAW_TABLES}
    (target / "DONE").write_text(json.dumps(counts))
    con.close()
    return target


# --- dbt ----------------------------------------------------------------------------


def dbt_env(args: argparse.Namespace, duckdb_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DUCKDB_PATH": str(duckdb_path),
        "DBT_THREADS": str(args.threads),
        "DUCKDB_MEMORY_LIMIT": args.memory_limit,
        "DUCKDB_TEMP_DIR": str(args.work / "duckdb_tmp"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
    })
    env.pop("DBT_TARGET", None)
    return env


def run_dbt(args: argparse.Namespace, name: str, command: list[str], duckdb_path: Path,
            raw_dir: Path, fresh: bool = True) -> dict[str, Any]:
    if fresh:
        remove_database(duckdb_path)
    target = args.work / f"target-{name}"
    shutil.rmtree(target, ignore_errors=True)
    dbt = Path(sys.executable).parent / "dbt"
    full = [str(dbt), *command, "--target-path", str(target),
            "--log-path", str(args.work / f"logs-{name}"),
            "--vars", json.dumps({"raw_path": str(raw_dir)})]
    if args.engine == "spark":
        full += ["--target", "spark_thrift"]
    result = run_measured(full, dbt_env(args, duckdb_path), args.work / f"{name}.log")
    results_file = target / "run_results.json"
    result["target"] = str(target)
    if results_file.exists():
        results = json.loads(results_file.read_text())["results"]
        result["models"] = {
            r["unique_id"].split(".")[-1]: round(r["execution_time"], 2)
            for r in results if r["unique_id"].startswith("model.")
        }
        tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
        result["tests"] = len(tests)
        result["tests_seconds"] = round(sum(r["execution_time"] for r in tests), 2)
        result["failures"] = [r["unique_id"] for r in results
                              if r["status"] not in ("success", "pass")]
    if result["exit"] != 0:
        tail = (args.work / f"{name}.log").read_text()[-3000:]
        print(f"dbt {' '.join(command)} failed ({result['exit']}):\n{tail}", file=sys.stderr)
    return result


def duckdb_settings(args: argparse.Namespace) -> dict[str, str]:
    """The DuckDB settings dbt uses (profiles.yml), for the floors."""
    return {
        # no `threads`: DuckDB's default (every core), as in the dbt profile
        "memory_limit": args.memory_limit,
        "temp_directory": str(args.work / "duckdb_tmp"),
        "TimeZone": "UTC",
        "preserve_insertion_order": "false",
        "force_compression": os.environ.get("DUCKDB_FORCE_COMPRESSION", "auto"),
    }


def connect(path: Path | str, args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    for key, value in duckdb_settings(args).items():
        con.execute(f"set {key} = '{value}'")
    return con


def engine_floor(args: argparse.Namespace, run: dict[str, Any], dbt_db: Path) -> dict[str, Any]:
    """Every model's compiled SQL of the dbt run, in run order, in one plain connection.

    The file has the same name as dbt's (compiled SQL names its catalog) in another
    directory; the raw_input views and the seeds are copied from dbt's warehouse first
    (not timed).
    """
    target = Path(run["target"])
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    order = sorted((r for r in results if r["unique_id"].startswith("model.")),
                   key=lambda r: r["timing"][0]["started_at"] if r["timing"] else "")
    floor_dir = args.work / "floor"
    shutil.rmtree(floor_dir, ignore_errors=True)
    floor_dir.mkdir(parents=True)
    path = floor_dir / dbt_db.name
    con = connect(path, args)
    con.execute(f"attach '{dbt_db}' as dbt_wh (read_only)")
    for schema, _view, sql in con.execute(
            "select schema_name, view_name, sql from duckdb_views() "
            "where database_name = 'dbt_wh' and schema_name = 'raw_input'").fetchall():
        con.execute(f'create schema if not exists "{schema}"')
        con.execute(sql)
    for node in manifest["nodes"].values():
        if node["resource_type"] == "seed" and node["config"].get("enabled", True):
            con.execute(f'create schema if not exists "{node["schema"]}"')
            con.execute(f'create table "{node["schema"]}"."{node["alias"]}" as '
                        f'select * from dbt_wh."{node["schema"]}"."{node["alias"]}"')
    con.execute("detach dbt_wh")
    statements = []
    for result in order:
        node = manifest["nodes"][result["unique_id"]]
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        statements.append((node["name"], node["schema"],
                           f"create or replace {kind} {relation} as (\n{node['compiled_code']}\n)"))
    start = time.perf_counter()
    memory = PeakMemory(os.getpid())
    per_model = {}
    for model, schema, sql in statements:
        con.execute(f'create schema if not exists "{schema}"')
        t0 = time.perf_counter()
        con.execute(sql)
        per_model[model] = round(time.perf_counter() - t0, 2)
    con.execute("checkpoint")
    seconds = time.perf_counter() - start
    peak = memory.stop()
    con.close()
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20), "models": per_model}


def scan_floor(args: argparse.Namespace, raw_dir: Path) -> dict[str, Any]:
    con = connect(":memory:", args)
    start = time.perf_counter()
    rows = {}
    for table in RAW_TABLES:
        source = raw_source(raw_dir, table)
        columns = column_names(con, source)
        aggregates = ", ".join(f'max("{c}")' for c in columns)
        rows[table] = con.execute(f"select count(*), {aggregates} from {source}").fetchone()[0]
    seconds = time.perf_counter() - start
    con.close()
    return {"seconds": round(seconds, 2), "rows": rows}


def _write_expression(column: str, data_type: str) -> str:
    if data_type.upper().startswith("DECIMAL"):
        # the narrow cast first, as parse_decimal does (DuckDB casts text to a 128-bit
        # decimal ~60x slower than to a 64-bit one)
        return (f'coalesce(cast(try_cast("{column}" as decimal(18, 6)) as {data_type}), '
                f'try_cast("{column}" as {data_type})) as "{column}"')
    return f'try_cast("{column}" as {data_type}) as "{column}"'


def write_floor(args: argparse.Namespace, raw_dir: Path, dbt_db: Path) -> dict[str, Any]:
    """Every raw row written once, with the clean column types of dbt's checked tables."""
    with duckdb.connect(str(dbt_db), read_only=True) as con:
        types: dict[str, dict[str, str]] = {}
        for table, column, data_type in con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_name like 'stg_shop__%_checked'").fetchall():
            raw = table.removeprefix("stg_shop__").removesuffix("_checked")
            types.setdefault(raw, {})[column] = data_type
    path = args.work / "write_floor.duckdb"
    remove_database(path)
    con = connect(path, args)
    start = time.perf_counter()
    memory = PeakMemory(os.getpid())
    per_table = {}
    for table in RAW_TABLES:
        source = raw_source(raw_dir, table)
        columns = column_names(con, source)
        casts = ", ".join(_write_expression(c, types.get(table, {}).get(c, "VARCHAR"))
                          for c in columns)
        t0 = time.perf_counter()
        con.execute(f'create table "{table}" as select {casts} from {source}')
        con.execute("checkpoint")
        per_table[table] = round(time.perf_counter() - t0, 2)
    seconds = time.perf_counter() - start
    peak = memory.stop()
    con.close()
    remove_database(path)
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20),
            "tables": per_table}


def check_planted(duckdb_path: Path, raw_dir: Path) -> dict[str, Any]:
    with open(raw_dir / "expected_segments.csv", newline="") as handle:
        expectations = list(csv.DictReader(handle))
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        profile = {
            row[0]: dict(zip(FLAGS, row[1:], strict=True))
            for row in con.execute(
                f"select customer_id, {', '.join(FLAGS.values())} from marts.customer_profile "
                "where customer_id like 'PLANT-%'").fetchall()
        }
    wrong = [f"{e['customer_id']} {e['segment']}" for e in expectations
             if profile.get(e["customer_id"], {}).get(e["segment"]) != (e["is_member"] == "true")]
    return {"checked": len(expectations), "wrong": wrong, "ok": not wrong}


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


# --- report -------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"platform": platform.platform(), "cpus": os.cpu_count(),
                            "python": platform.python_version(), "duckdb": duckdb.__version__}
    try:
        with open("/proc/meminfo") as handle:
            info["memory_gb"] = round(int(handle.readline().split()[1]) / 2**20, 1)
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or not b.get("seconds"):
        return None
    return round(a["seconds"] / b["seconds"], 2)


def print_table(report: dict[str, Any]) -> None:
    steps, ratios = report["steps"], report["ratios"]
    print(f"\nbench ({report['engine']}): {report['customers']} customers, "
          f"dbt threads={report['settings']['threads']}, "
          f"memory_limit={report['settings']['memory_limit']}, "
          f"{report['machine'].get('cpus')} cpus, {report['machine'].get('memory_gb')} GB")
    print(f"raw rows: {report['raw_rows']}")
    print(f"{'step':<26}{'seconds':>10}{'peak MB':>10}  note")
    notes = {
        "build": f"{steps.get('build', {}).get('tests', '')} tests",
        "run": f"run / floor = {ratios.get('run_over_engine_floor')}",
        "floor": "compiled SQL, plain DuckDB",
        "scan": f"build / scan = {ratios.get('build_over_scan_floor')}",
        "write": f"run / write = {ratios.get('run_over_write_floor')}",
        "incremental": f"incremental / build = {ratios.get('incremental_over_build')}",
    }
    for name in ("build", "run", "floor", "scan", "write", "incremental"):
        step = steps.get(name)
        if step:
            exit_note = "" if step.get("exit", 0) == 0 else f" FAILED (exit {step['exit']})"
            print(f"{name:<26}{step['seconds']:>10}{step.get('peak_rss_mb', ''):>10}  "
                  f"{notes[name]}{exit_note}")
    if "clv" in steps:
        clv = steps["clv"]
        exit_note = "" if clv.get("exit", 0) == 0 else f" FAILED (exit {clv['exit']})"
        print(f"{'clv (alone)':<26}{clv['seconds']!s:>10}{clv['peak_rss_mb']:>10}  "
              f"{clv['buyers']} buyers, {clv['distinct_profiles']} distinct (x, t_x, T): read "
              f"{clv['read_seconds']} s, fit {clv['fit_seconds']} s, predict "
              f"{clv['predict_seconds']} s (CPU {clv['cpu_seconds']} s){exit_note}")
        print(f"{'clv (dbt models)':<26}{clv['models_seconds']!s:>10}{'':>10}  "
              + ", ".join(f"{k} {v} s" for k, v in clv["models"].items()))
    if "planted" in steps:
        planted = steps["planted"]
        right = planted["checked"] - len(planted["wrong"])
        wrong = "" if planted["ok"] else f": {planted['wrong'][:5]}"
        print(f"{'planted':<26}{'':>10}{'':>10}  {right}/{planted['checked']} correct{wrong}")
    run = steps.get("run") or steps.get("build")
    if run and run.get("models"):
        slowest = sorted(run["models"].items(), key=lambda kv: -kv[1])[:8]
        print("slowest models (dbt run): " + ", ".join(f"{k} {v}s" for k, v in slowest))
    print(f"targets (issue 5, at 1M customers; this run: {report['customers']}):")
    for what, (section, key), limit in TARGETS:
        if section == "dbt":  # the largest of the dbt steps measured
            peaks = [steps[n][key] for n in ("build", "run", "incremental") if n in steps]
            value = max(peaks) if peaks else None
        else:
            value = (ratios if section == "ratios" else steps.get(section, {})).get(key)
        verdict = "not measured" if value is None else ("met" if value <= limit else "missed")
        print(f"  {what:<30}{'' if value is None else value:>10}  {verdict}")
    if "clv" in steps:
        print(f"targets (issue 16, CLV step at 1M customers; this run: {report['customers']}):")
        for what, (section, key), limit in CLV_TARGETS:
            value = steps[section].get(key)
            verdict = "not measured" if value is None else ("met" if value <= limit else "missed")
            print(f"  {what:<30}{'' if value is None else value:>10}  {verdict}")
    print(f"written: {report['file']}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m segwh.bench", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000, help="customers (100000)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (42)")
    parser.add_argument("--data-root", type=Path,
                        default=Path(os.environ.get("BENCH_DATA_ROOT", "/tmp/bench-data")),
                        help="cache of generated data, <root>/<customers> ($BENCH_DATA_ROOT, "
                             "/tmp/bench-data)")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "build" / "bench" / "work",
                        help="warehouse files, targets and logs (build/bench/work)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "bench",
                        help="where <timestamp>.json goes (build/bench)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DBT_THREADS", 1)),
                        help="dbt threads ($DBT_THREADS, 1); DuckDB uses every core, as in dbt")
    parser.add_argument("--memory-limit", default=os.environ.get("DUCKDB_MEMORY_LIMIT", "3500MB"),
                        help="DuckDB memory_limit ($DUCKDB_MEMORY_LIMIT, 3500MB)")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                        help="duckdb (default), or spark: the build step only, through the "
                             "Spark Thrift Server at SPARK_THRIFT_HOST/PORT (make spark-cluster)")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated subset of {','.join(STEPS)} (all)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    steps_wanted = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(steps_wanted) - set(STEPS)
    if unknown:
        raise SystemExit(f"unknown steps: {sorted(unknown)}")
    if args.engine == "spark":
        steps_wanted = ["build"]  # the other steps read DuckDB files
    args.work = args.work.resolve()
    shutil.rmtree(args.work / "duckdb_tmp", ignore_errors=True)
    (args.work / "duckdb_tmp").mkdir(parents=True, exist_ok=True)
    raw_dir, manifest, generated = ensure_data(args)
    build_db = args.work / "build" / "warehouse.duckdb"
    run_db = args.work / "run" / "warehouse.duckdb"
    build_db.parent.mkdir(parents=True, exist_ok=True)
    run_db.parent.mkdir(parents=True, exist_ok=True)
    steps: dict[str, Any] = {}
    if "build" in steps_wanted or "incremental" in steps_wanted or "planted" in steps_wanted:
        print("full dbt build ...", flush=True)
        steps["build"] = run_dbt(args, "build", ["build"], build_db, raw_dir)
    if "planted" in steps_wanted and steps["build"]["exit"] == 0:
        steps["planted"] = check_planted(build_db, raw_dir)
    clv_needs_run = "clv" in steps_wanted and "build" not in steps_wanted
    if ("run" in steps_wanted or "floor" in steps_wanted or "write" in steps_wanted
            or clv_needs_run):
        print("full dbt run ...", flush=True)
        seeded = run_dbt(args, "seed", ["seed"], run_db, raw_dir)  # not timed: seeds only
        steps["run"] = run_dbt(args, "run", ["run"], run_db, raw_dir,
                               fresh=seeded["exit"] != 0)
    if "floor" in steps_wanted and steps["run"]["exit"] == 0:
        print("engine floor ...", flush=True)
        steps["floor"] = engine_floor(args, steps["run"], run_db)
    if "write" in steps_wanted and steps["run"]["exit"] == 0:
        print("write floor ...", flush=True)
        steps["write"] = write_floor(args, raw_dir, run_db)
    if "scan" in steps_wanted:
        print("scan floor ...", flush=True)
        steps["scan"] = scan_floor(args, raw_dir)
    if "clv" in steps_wanted:
        source, source_db = ("build", build_db) if "build" in steps else ("run", run_db)
        if steps[source]["exit"] == 0:
            print("CLV step alone ...", flush=True)
            steps["clv"] = clv_step(args, steps[source], source_db)
    if "incremental" in steps_wanted and steps["build"]["exit"] == 0:
        print("one more day of data, incremental dbt build ...", flush=True)
        next_day = ensure_next_day(raw_dir, manifest)
        steps["incremental"] = run_dbt(args, "incremental", ["build"], build_db, next_day,
                                       fresh=False)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    args.out.mkdir(parents=True, exist_ok=True)
    report = {
        "customers": args.customers,
        "seed": args.seed,
        "data": str(raw_dir),
        "generated_seconds": round(generated, 1) if generated else None,
        "raw_rows": manifest["rows"],
        "engine": args.engine,
        "settings": {"threads": args.threads, "memory_limit": args.memory_limit,
                     "force_compression": duckdb_settings(args)["force_compression"]},
        "machine": machine(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "measured_at": stamp,
        "steps": {k: {kk: vv for kk, vv in v.items() if kk != "target"} for k, v in steps.items()},
        "ratios": {
            "run_over_engine_floor": ratio(steps.get("run"), steps.get("floor")),
            "build_over_scan_floor": ratio(steps.get("build"), steps.get("scan")),
            "run_over_write_floor": ratio(steps.get("run"), steps.get("write")),
            "incremental_over_build": ratio(steps.get("incremental"), steps.get("build")),
        },
        "file": str(args.out / f"{stamp}.json"),
    }
    Path(report["file"]).write_text(json.dumps(report, indent=2))
    print_table(report)
    failed = [k for k, v in steps.items() if v.get("exit", 0) != 0 or v.get("ok") is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
