"""Shared helpers and fixtures for the tests that drive the dbt project end to end.

Every dbt invocation gets its own DuckDB file, target path, log path and DuckDB spill
directory under pytest's tmp_path, so several builds can run at the same time.
"""

from __future__ import annotations

import atexit
import csv
import datetime as dt
import decimal
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from xdist.scheduler import LoadFileScheduling

from segwh import spark_cluster as cluster_module
from segwh.core import dbt as core_dbt
from segwh.export import SEGMENTS as EXPORT_SEGMENTS
from segwh.spark import settings as spark_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "small-dirty"
FIXTURE_RAW_DIR = FIXTURE_DIR / "raw"
FIXTURE_EXPECTED_DIR = FIXTURE_DIR / "expected"
FIXTURE_AS_OF = "2025-07-01 00:00:00"

RAW_TABLES = ("customers", "orders", "order_items", "products", "sessions", "carts")
SEGMENTS = EXPORT_SEGMENTS  # every relation in schema segments that holds members

# `dbt build` without the project's unit tests: they do not read raw data, so the builds
# that only vary the raw input skip them (the acceptance build runs the full `dbt build`).
BUILD_WITHOUT_UNIT_TESTS = ("build", "--exclude-resource-type", "unit_test")

DBT_TIMEOUT_SECONDS = 600
OUTPUT_TAIL_CHARS = 4000

# The test files that take longest, longest first. `make pytest` runs the tests on two
# workers (pytest-xdist --dist loadfile --no-loadscope-reorder), one file at a time each
# (its module fixtures build once), but the Spark files go together as one unit
# (SparkFilesTogether): one worker runs them all on one local cluster (fixture spark_cluster
# is per worker), test_spark_equivalence first. Workers take the units in collection
# order: the long ones start at once, each on its own worker, and the short ones fill in.
SLOWEST_FILES = ("test_spark_equivalence.py", "test_spark_incremental.py", "test_spark_cluster.py",
                 "test_refresh.py", "test_incremental.py")
SPARK_FILES = ("test_spark_equivalence.py", "test_spark_incremental.py", "test_spark_cluster.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Collects SLOWEST_FILES first (in that order); every other file keeps its place."""
    rank = {name: index for index, name in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


class SparkFilesTogether(LoadFileScheduling):
    """xdist's --dist loadfile, with SPARK_FILES as one unit of work. (Not xdist's own
    loadgroup: it marks a group by rewriting Item._nodeid, which pytest 9 no longer reads,
    so every test became its own unit.)"""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return "spark" if Path(path).name in SPARK_FILES else path


def pytest_xdist_make_scheduler(config: pytest.Config, log) -> LoadFileScheduling | None:
    """The scheduler of --dist loadfile (SparkFilesTogether); xdist's own otherwise."""
    if config.getvalue("dist") == "loadfile":
        return SparkFilesTogether(config, log)
    return None


def dbt_executable() -> Path:
    """The project's dbt (segwh.core.dbt): the `dbt` next to the running interpreter."""
    exe = core_dbt.dbt_executable()
    if not exe.exists():
        pytest.fail(f"dbt executable not found next to {sys.executable}: {exe}")
    return exe


def output_of(result: subprocess.CompletedProcess[str]) -> str:
    """dbt's stdout and stderr together."""
    return (result.stdout or "") + (result.stderr or "")


def output_tail(result: subprocess.CompletedProcess[str], chars: int = OUTPUT_TAIL_CHARS) -> str:
    return output_of(result)[-chars:]


def run_dbt(
    args: list[str],
    duckdb_path: Path | str,
    tmp_dir: Path | str,
    vars: dict | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Runs `dbt <args>` from the repository root against the DuckDB file `duckdb_path`.

    `--target-path`, `--log-path` and DuckDB's spill directory go under `tmp_dir`. `vars`
    is passed as `--vars` (JSON is valid YAML). With `check`, a non-zero exit fails the
    test with the tail of dbt's output.
    """
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    # the one way segwh runs dbt (segwh.core.dbt): this checkout's profiles and segwh
    env = core_dbt.dbt_env(duckdb_path, tmp_dir / "duckdb_tmp",
                           extra={"DBT_PROFILES_DIR": str(REPO_ROOT)})
    dbt_executable()  # a missing dbt fails the test with one line
    command = core_dbt.dbt_command(args, tmp_dir / "target", tmp_dir / "logs")
    if vars is not None:
        command += ["--vars", json.dumps(vars)]
    result = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DBT_TIMEOUT_SECONDS,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"dbt {' '.join(args)} exited with {result.returncode} (vars={vars}).\n"
            f"--- tail of dbt output ---\n{output_tail(result)}",
            pytrace=False,
        )
    return result


def build_on_raw_path(
    raw_dir: Path,
    tmp_dir: Path,
    check: bool = True,
    args: tuple[str, ...] = BUILD_WITHOUT_UNIT_TESTS,
    **extra_vars: object,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`dbt build` on a raw_path directory at the fixture's as_of; returns (db file, result)."""
    duckdb_path = Path(tmp_dir) / "warehouse.duckdb"
    result = run_dbt(
        list(args),
        duckdb_path,
        tmp_dir,
        vars={"raw_path": str(raw_dir), "as_of": FIXTURE_AS_OF, **extra_vars},
        check=check,
    )
    return duckdb_path, result


# --- CSV helpers ------------------------------------------------------------------------


def read_csv_file(path: Path) -> tuple[list[str], list[list[str]]]:
    """(header, data rows) of a CSV file, read with the csv module (RFC 4180)."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    return header, rows


def write_csv_file(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    """Writes a CSV file with CRLF line ends, like the fixture."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def drop_csv_columns(path: Path, columns: Iterable[str]) -> None:
    """Rewrites `path` without `columns` (which must all be present)."""
    header, rows = read_csv_file(path)
    drop = set(columns)
    missing = drop - set(header)
    assert not missing, f"{path.name} has no column(s) {sorted(missing)} to drop"
    keep = [index for index, name in enumerate(header) if name not in drop]
    write_csv_file(path, [header[i] for i in keep], ([row[i] for i in keep] for row in rows))


def count_csv_data_rows(path: Path) -> int:
    return len(read_csv_file(path)[1])


# --- dbt output ------------------------------------------------------------------------

TRACEBACK = "Traceback (most recent call last)"


def lines_with(result: subprocess.CompletedProcess[str], *needles: str) -> list[str]:
    """Lines of dbt's output that contain every needle (case-insensitive)."""
    return [
        line
        for line in output_of(result).splitlines()
        if all(needle.lower() in line.lower() for needle in needles)
    ]


def assert_clean_failure(result: subprocess.CompletedProcess[str]) -> None:
    """A non-zero exit, no Python traceback, and nothing built."""
    tail = output_tail(result)
    assert result.returncode != 0, f"dbt build should have failed.\n{tail}"
    assert TRACEBACK not in output_of(result), f"dbt printed a Python traceback:\n{tail}"
    assert "OK created" not in output_of(result), f"the build started building models:\n{tail}"


# --- expected answers and warehouse reads ----------------------------------------------


def expected_members(segment: str) -> list[str]:
    """The sorted customer_ids of expected/<segment>.txt."""
    text = (FIXTURE_EXPECTED_DIR / f"{segment}.txt").read_text(encoding="utf-8")
    return sorted(line.strip() for line in text.splitlines() if line.strip())


def segment_members(con: duckdb.DuckDBPyConnection, segment: str) -> list[str]:
    """customer_ids of segments.<segment>, sorted, duplicates kept."""
    rows = con.execute(f"select customer_id from segments.{segment}").fetchall()
    return sorted(row[0] for row in rows)


def all_segment_members(duckdb_path: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        return {segment: segment_members(con, segment) for segment in SEGMENTS}


def describe_set_difference(actual: Iterable[str], expected: Iterable[str]) -> str:
    actual_set, expected_set = set(actual), set(expected)
    missing = sorted(expected_set - actual_set)
    extra = sorted(actual_set - expected_set)
    return (
        f"missing {len(missing)} (first: {missing[:10]}), "
        f"unexpected {len(extra)} (first: {extra[:10]})"
    )


# --- fixtures ---------------------------------------------------------------------------


def built_once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str,
                       build: Callable[[Path], Path]) -> Path:
    """What `build(directory)` returns, built once per test run: under pytest-xdist the
    first worker to ask builds in the run's shared temporary directory while the others
    wait for it (a lock file), then every worker reads the same result. Tests read the
    result (read-only) or copy it. A failed build is retried by the next worker to ask,
    and fails there too."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    directory = shared / f"once-{name}"
    directory.mkdir(exist_ok=True)
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = directory / "built"
        if done.exists():
            return Path(done.read_text(encoding="utf-8"))
        target = directory / "build"
        shutil.rmtree(target, ignore_errors=True)  # a failed attempt's leftovers
        result = build(target)
        done.write_text(str(result), encoding="utf-8")
        return result


@pytest.fixture(scope="session")
def acceptance_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built once per test run on the small-dirty fixture (raw_path mode),
    shared by the workers (built_once_per_run): open it read-only or copy it."""
    return built_once_per_run(
        tmp_path_factory, "acceptance",
        lambda tmp_dir: build_on_raw_path(FIXTURE_RAW_DIR, tmp_dir, args=("build",))[0])


@pytest.fixture(scope="session")
def acceptance_con(acceptance_db: Path):
    """A read-only connection to the acceptance warehouse."""
    con = duckdb.connect(str(acceptance_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the fixture's raw/ directory."""
    target = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW_DIR, target)
    return target


# --- typed raw tables ------------------------------------------------------------------

# The types a real exporter (pandas, Spark, an EL tool) gives the contract's columns, for
# the tests that feed typed Parquet files or typed raw_schema tables: timestamps with a
# zone (several zones, several units) and without, dates, doubles, decimals, integers,
# booleans. Columns not listed stay text.
TYPED_COLUMNS: dict[str, dict[str, pa.DataType]] = {
    "customers": {
        "birth_date": pa.date32(),
        "registered_at": pa.timestamp("ns"),
        "updated_at": pa.timestamp("us", tz="America/Sao_Paulo"),
        "children_count": pa.int64(),
        "annual_income": pa.decimal128(12, 2),
        "sms_opt_in": pa.bool_(),
        "email_opt_in": pa.bool_(),
    },
    "orders": {
        "ordered_at": pa.timestamp("us", tz="Asia/Tehran"),
        "updated_at": pa.timestamp("ms", tz="UTC"),
        "order_total": pa.decimal128(12, 2),
        "discount_total": pa.float64(),
    },
    # an integer column written as doubles (pandas does, when the column has nulls)
    "order_items": {"quantity": pa.float64(), "unit_price": pa.float64()},
    "products": {"list_price": pa.decimal128(10, 4)},
    "sessions": {
        "started_at": pa.timestamp("us"),
        "ended_at": pa.timestamp("us", tz="UTC"),
        "page_views": pa.int32(),
    },
    "carts": {
        "created_at": pa.timestamp("us", tz="Europe/Berlin"),
        "updated_at": pa.timestamp("ms"),
        "cart_value": pa.float64(),
        "item_count": pa.int64(),
    },
}

_TIMESTAMP_TEXT = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_BOOLEANS = {**dict.fromkeys(("true", "t", "yes", "y", "1"), True),
             **dict.fromkeys(("false", "f", "no", "n", "0"), False)}


def _utc_datetime(text: str) -> dt.datetime | None:
    """An ISO 8601 text as an aware UTC datetime, as raw-data.md rule 2 reads it (no zone =
    the default shop time zone, UTC); None when unparseable."""
    match = _TIMESTAMP_TEXT.fullmatch(text)
    if not match:
        return None
    day, time_part, zone = match.groups()
    try:
        local = dt.datetime.fromisoformat(f"{day} {time_part or '00:00:00'}")
    except ValueError:
        return None
    offset = dt.timedelta(0)
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        offset = -offset if zone[0] == "-" else offset
    return (local - offset).replace(tzinfo=dt.UTC)


def typed_value(text: str, data_type: pa.DataType) -> object:
    """The raw text `text` as a value of `data_type` (None when it has no such value)."""
    value = text.strip(" \t\r\n")
    if not value:
        return None
    if pa.types.is_timestamp(data_type) or pa.types.is_date(data_type):
        instant = _utc_datetime(value)
        if instant is None:
            return None
        if pa.types.is_date(data_type):
            return instant.date()
        return instant if data_type.tz else instant.replace(tzinfo=None)
    if pa.types.is_boolean(data_type):
        return _BOOLEANS.get(value.lower())
    if pa.types.is_integer(data_type):
        return int(value) if re.fullmatch(r"[+-]?\d+", value) else None
    if not _DECIMAL_TEXT.fullmatch(value):
        return None
    if pa.types.is_decimal(data_type):
        number = decimal.Decimal(value)
        exact = number.quantize(decimal.Decimal(1).scaleb(-data_type.scale))
        assert exact == number, f"{value} does not fit {data_type}: widen the test's type"
        return exact
    return float(value)


def typed_arrow_table(path: Path, table: str) -> tuple[pa.Table, list[tuple[str, int, str]]]:
    """The raw CSV `path` of `table` as an Arrow table with the types of TYPED_COLUMNS[table]
    (other columns as text, values exactly as in the file), and the (column, row index,
    text) of every non-empty value that has no value of its column's type (written as null)."""
    header, rows = read_csv_file(path)
    types = TYPED_COLUMNS[table]
    arrays, untyped = {}, []
    for index, name in enumerate(header):
        texts = [row[index] for row in rows]
        if name not in types:
            arrays[name] = pa.array(texts, type=pa.string())
            continue
        values = [typed_value(text, types[name]) for text in texts]
        untyped += [
            (name, row_index, text)
            for row_index, (text, value) in enumerate(zip(texts, values, strict=True))
            if value is None and text.strip()
        ]
        arrays[name] = pa.array(values, type=types[name])
    return pa.table(arrays), untyped


# --- Spark cluster (master, worker, Thrift Server) --------------------------------------


def processes_mentioning(text: str) -> list[str]:
    """`pid: command` of every live process (not this one) whose command line holds `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in command:
                found.append(f"{entry.name}: {command[:120]}")
    return found


# The schema whose directory the cluster's worker sees as its own empty tmpfs (when root
# and `unshare` allow it): tables written there read back empty on the Thrift Server, as
# on a worker host that does not share the driver's disk.
SPARK_LOST_SCHEMA = "loss_probe"
SPARK_CLUSTER_START_TIMEOUT = 400
# The test cluster's Thrift Server and executor JVMs: the client JIT only (no C2) and the
# serial collector. The Spark equivalence build is ~300 small queries in JVMs that live a
# few minutes on 2 cores, where C2's compiler threads and G1's background threads take CPU
# from the queries. Measured side by side under the same load (docs/development.md), one
# dbt build slice (54 nodes: seeds, models, unit tests) took 130 s of JVM CPU with these
# options and 201 s without (cluster start: 29 s and 44 s). The client-only JIT shrinks the
# JVM's default code cache from 240 MB to 48 MB, which the Thrift Server filled in a CI run
# ("Out of space in CodeCache for method handle intrinsic"), so the size is set back; it is
# reserved address space, committed only as code is compiled.
SPARK_TEST_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=240m"


@pytest.fixture(scope="session")
def spark_cluster_starting(tmp_path_factory: pytest.TempPathFactory):
    """The start of the test run's one local Spark cluster, under way: the command `make
    spark-cluster` runs (free ports picked at run time) as a child process. A fixture that
    requests this one first runs while the JVMs boot (the DuckDB side of the equivalence
    test); fixture `spark_cluster` waits for the start. At the end every process is
    stopped by its id, also when a test or the start fails (finally, and atexit as a
    fallback), and none may be left."""
    if shutil.which("java") is None:  # spark_cluster skips; DuckDB-only tests still run
        yield None
        return
    directory = tmp_path_factory.mktemp("spark_cluster")
    output = tmp_path_factory.mktemp("spark_cluster_start") / "start.out"
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    for _key, variable, _default in cluster_module.PORT_SETTINGS:
        env[variable] = "auto"
    env[spark_settings.JVM_OPTIONS_VARIABLE] = SPARK_TEST_JVM_OPTIONS
    command = [sys.executable, "-m", "segwh.spark_cluster", "start", "--dir", str(directory)]
    if cluster_module.worker_isolation_available():
        private = directory / "warehouse" / f"{SPARK_LOST_SCHEMA}.db"
        command += ["--worker-private-dir", str(private)]
    starting: subprocess.Popen | None = None

    def stop() -> list[str]:
        # a start still under way stops what it started on SIGTERM
        if starting is not None and starting.poll() is None:
            starting.terminate()
            try:
                starting.wait(timeout=SPARK_CLUSTER_START_TIMEOUT)
            except subprocess.TimeoutExpired:
                starting.kill()
                starting.wait()
        return cluster_module.stop(directory)

    atexit.register(stop)
    try:
        with open(output, "wb") as handle:
            starting = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=handle,
                                        stderr=subprocess.STDOUT)
        yield directory, starting, output
    finally:
        stop()
        atexit.unregister(stop)
        # every process of the cluster (master, worker, Thrift Server, executors) names
        # its directory on its command line; an exited one (zombie) has none
        survivors = processes_mentioning(str(directory))
        assert not survivors, f"Spark processes left running: {survivors}"


@pytest.fixture(scope="session")
def spark_cluster(spark_cluster_starting):
    """The test run's one local Spark cluster (master, worker, Thrift Server), healthy."""
    if spark_cluster_starting is None:
        pytest.skip("Spark needs Java 17 (java not on PATH)")
    directory, starting, output = spark_cluster_starting
    try:
        code = starting.wait(timeout=SPARK_CLUSTER_START_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"spark_cluster start still running after {SPARK_CLUSTER_START_TIMEOUT} s:"
                    f"\n{output.read_text(errors='replace')[-OUTPUT_TAIL_CHARS:]}", pytrace=False)
    started = cluster_module.Cluster.load(directory)
    if code != 0 or started is None:
        pytest.fail(f"spark_cluster start exited with {code}:\n"
                    f"{output.read_text(errors='replace')[-OUTPUT_TAIL_CHARS:]}", pytrace=False)
    return started
