"""The refresh's guarantees, each shown by really doing it: real `python -m segwh.refresh`
processes on the small-dirty fixture, real SIGKILLs, real concurrent DuckDB readers in
other processes. Every file lives under pytest's tmp_path.

One published baseline is built per session and copied into each test that needs a
published warehouse, so that each test pays for at most one or two dbt builds. The second
publish runs side by side with a refresh of another warehouse in the same directory (with
--full-refresh), so that one pair of builds shows both.

The refresh itself leaves out dbt's unit tests (as in production; `make dbt-build` runs
them) and lets `dbt source freshness` reuse the build's parse state. The tests whose
subject is the refresh around the build (SIGKILL at a late stage, the refresh that takes
over, the freshness gate) run it with `--dbt` set to the fixture
`quick_dbt`: `dbt build` rebuilds one model on the build file, which is a copy of the
published warehouse and so stays complete; `dbt source freshness` is dbt's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from conftest import (
    FIXTURE_AS_OF,
    FIXTURE_RAW_DIR,
    REPO_ROOT,
    SEGMENTS,
    dbt_executable,
    drop_csv_columns,
    read_csv_file,
    run_dbt,
    write_csv_file,
)

from segwh.refresh import (
    EXIT_AUDIT_FAILED,
    EXIT_CHANGE_BAND,
    EXIT_DBT_FAILED,
    EXIT_EXPECTATION_FAILED,
    EXIT_LOCKED,
    EXIT_STALE_SOURCES,
    KEEP_RUNS,
    classify_failures,
    erasure,
)
from segwh.refresh.dbt_build import failure_reason, read_run_results
from segwh.refresh.expectations import ExpectationOutcome
from segwh.refresh.files import Layout
from segwh.refresh.lock import lock_is_held

REFRESH_TIMEOUT = 900
# the one model the quick dbt build (fixture quick_dbt) rebuilds
QUICK_BUILD_MODEL = "int_as_of_resolved"
FIXTURE_VARS = {"raw_path": str(FIXTURE_RAW_DIR), "as_of": FIXTURE_AS_OF}
BI_SCHEMAS = ("segments", "marts")


# --- helpers --------------------------------------------------------------------------------


def refresh_command(published: Path, *args: str, vars: dict | None = None,
                    dbt: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "segwh.refresh", *args, "--published", str(published)]
    if args and args[0] == "run":
        command += ["--vars", json.dumps(FIXTURE_VARS if vars is None else vars)]
        if dbt is not None:
            command += ["--dbt", str(dbt)]
    return command


def refresh_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SEGWH_REFRESH_PAUSE_AT", None)
    env.pop("DUCKDB_PATH", None)
    env.pop("DBT_EXCLUDE_RESOURCE_TYPES", None)  # what the refresh leaves out is its own
    env.update({"DBT_PROFILES_DIR": str(REPO_ROOT), "PYTHONPATH": str(REPO_ROOT), **extra})
    return env


def run_refresh(
    published: Path, *args: str, vars: dict | None = None, dbt: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        refresh_command(published, *(args or ("run",)), vars=vars, dbt=dbt),
        cwd=REPO_ROOT,
        env=refresh_env(),
        capture_output=True,
        text=True,
        timeout=REFRESH_TIMEOUT,
        check=False,
    )


def start_refresh(
    published: Path, out: Path, *args: str, pause_at: str | None = None,
    dbt: Path | None = None,
) -> subprocess.Popen[bytes]:
    env = refresh_env(**({"SEGWH_REFRESH_PAUSE_AT": pause_at} if pause_at else {}))
    handle = open(out, "wb")  # noqa: SIM115 - owned by the child for its lifetime
    return subprocess.Popen(
        refresh_command(published, *(args or ("run",)), dbt=dbt),
        cwd=REPO_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def wait_for_text(path: Path, text: str, process: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        if process.poll() is not None:
            pytest.fail(f"refresh ended ({process.returncode}) before {text!r}:\n{tail(path)}")
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {text!r}:\n{tail(path)}")


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no output)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def version_of(database: Path) -> str | None:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select max(version) from refresh.publishes").fetchone()[0]


def assert_complete_warehouse(database: Path) -> None:
    """The file opens read-only and holds every BI relation, consistent with the summary."""
    with duckdb.connect(str(database), read_only=True) as con:
        summary = dict(
            con.execute("select segment, member_count from marts.segment_summary").fetchall()
        )
        assert set(summary) == set(SEGMENTS)
        for segment, members in summary.items():
            rows = con.execute(f"select count(*) from segments.{segment}").fetchone()[0]
            assert rows == members, f"segments.{segment}: {rows} rows, summary says {members}"
        for relation in ("segment_membership_history", "segment_transitions"):
            con.execute(f"select count(*) from marts.{relation}").fetchone()


def log_line(run_dir: Path, text: str) -> str:
    """The first line of a run's refresh.log that contains `text`."""
    log = (run_dir / "refresh.log").read_text()
    return next(line for line in log.splitlines() if text in line)


def build_files(directory: Path) -> list[str]:
    """Build folders (and legacy build files) of any warehouse in `directory`."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".refresh-"))


def last_summary(published: Path) -> dict:
    return json.loads(Layout(published).last_summary.read_text())


def relations_that_do_not_answer(database: Path) -> tuple[int, list[str]]:
    """Opens `database` read-only, as BI does, and counts the rows of every table and view
    of every schema; returns (relations read, those that fail with their error)."""
    failing = []
    with duckdb.connect(str(database), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
        for schema, name in relations:
            try:
                con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            except duckdb.Error as error:
                failing.append(f"{schema}.{name}: {str(error).splitlines()[0]}")
    return len(relations), failing


def assert_every_relation_answers(database: Path) -> None:
    count, failing = relations_that_do_not_answer(database)
    assert count >= 60, f"only {count} relations in {database}"
    assert failing == [], f"{len(failing)} of {count} relations fail: {failing}"


def export_all(database: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "segwh.export", "--channel", "all", "--duckdb", str(database),
         "--out", str(out)],
        cwd=REPO_ROOT, env=refresh_env(), capture_output=True, text=True, timeout=300,
        check=False,
    )


PLANTED_SESSION = "PLANTED-SESSION-1"


def plant_session(database: Path) -> None:
    """A clean session row that no raw row backs, in the incremental sessions table
    (base_shop__sessions, a current valid version): an incremental build keeps it (and the
    reconciliation test fails), a full refresh drops it."""
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into staging.base_shop__sessions "
            f"select * replace ('{PLANTED_SESSION}' as session_id) "
            "from staging.base_shop__sessions where is_current and reject_reason is null "
            "and not is_tombstone limit 1"
        )


def planted_sessions(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select count(*) from staging.stg_shop__sessions where session_id = ?",
            [PLANTED_SESSION],
        ).fetchone()[0]


def fake_old_runs(published: Path, count: int) -> list[Path]:
    """Run folders as earlier refreshes left them: a log, a summary, dbt's target/ and logs/."""
    runs = []
    for number in range(count):
        run = Layout(published).runs_dir / f"20250101T0000{number:02d}000Z-{1000 + number}"
        (run / "target" / "compiled").mkdir(parents=True)
        (run / "logs").mkdir()
        (run / "target" / "manifest.json").write_bytes(b"{}" + b" " * 200_000)
        (run / "logs" / "dbt.log").write_text("dbt output\n")
        (run / "refresh.log").write_text("refresh log\n")
        (run / "summary.json").write_text('{"status": "published"}')
        runs.append(run)
    return runs


def children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def wait_gone(pids: list[int], timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
        time.sleep(0.2)
    return alive


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def differing_relations(left: Path, right: Path) -> list[str]:
    """BI relations whose rows differ (as multisets) between two warehouse files."""
    con = duckdb.connect()
    con.execute(f"attach '{left}' as l (read_only)")
    con.execute(f"attach '{right}' as r (read_only)")
    relations = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        f"where table_catalog = 'l' and table_schema in {BI_SCHEMAS} order by 1"
    ).fetchall()
    assert len(relations) >= 13
    different = []
    for (relation,) in relations:
        extra = con.execute(
            f"select count(*) from (select * from l.{relation} except all "
            f"select * from r.{relation})"
        ).fetchone()[0]
        missing = con.execute(
            f"select count(*) from (select * from r.{relation} except all "
            f"select * from l.{relation})"
        ).fetchone()[0]
        if extra or missing:
            different.append(f"{relation} (+{extra}/-{missing})")
    con.close()
    return different


READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    path, ready, stop, out = sys.argv[1:5]
    seen, errors, iterations = set(), [], 0
    con = duckdb.connect(path, read_only=True)
    open(ready, "w").close()
    import os
    while not os.path.exists(stop):
        try:
            seen.add(con.execute("select max(version) from refresh.publishes").fetchone()[0])
            rows = con.execute("select count(*) from segments.vip").fetchone()[0]
            members = con.execute(
                "select member_count from marts.segment_summary where segment = 'vip'"
            ).fetchone()[0]
            if rows != members:
                errors.append(f"vip rows {rows} != summary {members}")
            iterations += 1
        except Exception as error:
            errors.append(repr(error))
        time.sleep(0.05)
    con.close()
    json.dump({"seen": sorted(seen), "errors": errors[:20], "iterations": iterations},
              open(out, "w"))
    """
)


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse published by a first refresh (from nothing) on the fixture."""
    published = tmp_path_factory.mktemp("baseline") / "warehouse.duckdb"
    result = run_refresh(published, "run")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return published


def dbt_wrapper(directory: Path, build_args: list[str]) -> Path:
    """A `dbt` for the refresh's --dbt: `dbt build` gets `build_args` added; any other
    command is dbt's own. The real dbt replaces this script's process (exec), so the
    refresh's dbt child is dbt itself."""
    script = directory / "dbt"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import os, sys
        args = sys.argv[1:]
        if args[:1] == ["build"]:
            args += {build_args!r}
        os.execv({str(dbt_executable())!r}, [{str(dbt_executable())!r}, *args])
        """))
    script.chmod(0o755)
    return script


@pytest.fixture(scope="session")
def quick_dbt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt build` rebuilds QUICK_BUILD_MODEL only (and its data tests)."""
    return dbt_wrapper(tmp_path_factory.mktemp("quick_dbt"), ["--select", QUICK_BUILD_MODEL])


@pytest.fixture(scope="session")
def models_only_dbt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt build` of every model without the data tests: for the tests whose subject is
    what the refresh does with the models' output (expectations, erasure); the baseline
    and the second publish run every data test."""
    return dbt_wrapper(tmp_path_factory.mktemp("models_only_dbt"),
                       ["--exclude-resource-type", "test"])


def copy_published(baseline: Path, directory: Path) -> Path:
    published = directory / "warehouse.duckdb"
    shutil.copyfile(baseline, published)
    return published


@pytest.fixture(scope="module")
def second_publish(baseline: Path, models_only_dbt: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A refresh on unchanged input over a copy of the baseline, while another process
    holds the published file open read-only and keeps querying it; and, side by side in
    the same directory, a refresh of another warehouse (`other.duckdb`, also a copy of the
    baseline, with a planted session row and 22 old run folders) with --full-refresh,
    started once the first one's dbt build runs. (The second one rebuilds every model
    without the data tests, which the baseline and the first one run: its subject is
    what --full-refresh rebuilds and two refreshes side by side.)"""
    directory = tmp_path_factory.mktemp("second")
    published = copy_published(baseline, directory)
    other = directory / "other.duckdb"
    shutil.copyfile(baseline, other)
    plant_session(other)
    old_runs = fake_old_runs(other, 22)
    old_version = version_of(published)
    ready, stop, out = directory / "ready", directory / "stop", directory / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(ready), str(stop), str(out)]
    )
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ready.exists(), "the reader never opened the warehouse"
    started = time.monotonic()
    first = start_refresh(published, directory / "first.out", "run")
    wait_for_text(directory / "first.out", "dbt build started", first)
    sibling = start_refresh(other, directory / "other.out", "run", "--full-refresh",
                            dbt=models_only_dbt)
    code = first.wait(timeout=REFRESH_TIMEOUT)
    seconds = time.monotonic() - started
    time.sleep(0.5)  # a few more reads on the old connection after the publish
    stop.touch()
    reader.wait(timeout=60)
    other_code = sibling.wait(timeout=REFRESH_TIMEOUT)
    return {
        "published": published,
        "old_version": old_version,
        "code": code,
        "output": tail(directory / "first.out", 100_000),
        "seconds": seconds,
        "reader": json.loads(out.read_text()),
        "reader_exit": reader.returncode,
        "other": other,
        "other_code": other_code,
        "other_output": tail(directory / "other.out", 100_000),
        "other_old_runs": old_runs,
    }


# --- tests ----------------------------------------------------------------------------------


def test_help_lists_subcommands_and_exit_codes():
    result = subprocess.run(
        [sys.executable, "-m", "segwh.refresh", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    for word in ("run", "rollback", "status", "Exit codes"):
        assert word in result.stdout
    run_help = subprocess.run(
        [sys.executable, "-m", "segwh.refresh", "run", "--help"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )
    assert run_help.returncode == 0 and "--full-refresh" in run_help.stdout


def test_first_refresh_publishes_a_complete_warehouse_with_a_summary(baseline: Path):
    assert_complete_warehouse(baseline)
    assert build_files(baseline.parent) == []
    summary = last_summary(baseline)
    assert summary["status"] == "published" and summary["exit_code"] == 0
    assert summary["version"] == version_of(baseline)
    assert summary["row_counts"]["segments.vip"] > 0
    assert summary["dbt"]["models"] and all(m["seconds"] >= 0 for m in summary["dbt"]["models"])
    assert summary["dbt"]["tests"] and all(t["status"] == "pass" for t in summary["dbt"]["tests"])
    assert summary["expectations"] and all(e["success"] for e in summary["expectations"])
    assert summary["audit"]["failures"] == [] and summary["audit"]["relations"] >= 60
    run_dir = next(Layout(baseline).runs_dir.iterdir())
    log = (run_dir / "refresh.log").read_text()
    assert "published version" in log and "audit: all" in log
    state = Layout(baseline).dbt_state
    assert not state.spill_dir.exists() and not state.link.is_symlink()
    assert state.parse_state.is_file()


def test_the_refresh_runs_every_data_test_and_no_unit_test(baseline: Path):
    """dbt's unit tests check the models' logic on fixed inputs (`make test` and CI run
    them); the production build leaves them out and runs every data test."""
    run_dir = next(Layout(baseline).runs_dir.iterdir())
    ran = [r["unique_id"] for r in
           json.loads((run_dir / "target" / "run_results.json").read_text())["results"]]
    assert [node for node in ran if node.startswith("unit_test.")] == []
    manifest = json.loads((run_dir / "target" / "manifest.json").read_text())
    data_tests = {node for node in manifest["nodes"] if node.startswith("test.")}
    assert manifest["unit_tests"], "the project has unit tests: nothing left out"
    assert data_tests and data_tests <= set(ran)
    summary = last_summary(baseline)["dbt"]
    assert {test["unique_id"] for test in summary["tests"]} == data_tests
    assert "--exclude-resource-type unit_test" in log_line(run_dir, "dbt build started")


def test_source_freshness_reuses_the_builds_parse_state(baseline: Path):
    """The first refresh of a warehouse parses the project in full; `dbt source freshness`
    after it runs on the same file path, spill folder and --vars, so dbt reuses the parse
    state the build left instead of parsing everything again."""
    summary = last_summary(baseline)
    assert summary["dbt"]["parse"]["partial"] is False
    assert summary["dbt"]["parse"]["full_parse_reason"].startswith("saved manifest not found")
    assert summary["freshness"]["parse"]["partial"] is True, summary["freshness"]["parse"]
    assert summary["freshness"]["parse"]["full_parse_reason"] is None
    with duckdb.connect(str(baseline), read_only=True) as con:
        current = con.execute(
            "select count(*) from marts.segment_membership_history where is_current"
        ).fetchone()[0]
        members = con.execute("select sum(member_count) from marts.segment_summary").fetchone()[0]
        assert current == members


def test_reader_is_not_blocked_and_sees_only_the_old_version(second_publish: dict):
    assert second_publish["code"] == 0, second_publish["output"][-3000:]
    reader = second_publish["reader"]
    assert second_publish["reader_exit"] == 0
    assert reader["errors"] == []
    assert reader["iterations"] > 10
    assert reader["seen"] == [second_publish["old_version"]]
    # a reader opening after the publish sees the complete new version
    published = second_publish["published"]
    assert version_of(published) > second_publish["old_version"]
    assert_complete_warehouse(published)


def test_unchanged_input_publishes_identical_marts(baseline: Path, second_publish: dict):
    assert second_publish["code"] == 0
    assert differing_relations(baseline, second_publish["published"]) == []


def test_rollback_restores_the_previous_version(second_publish: dict, tmp_path: Path):
    assert second_publish["code"] == 0
    source = second_publish["published"]
    published = tmp_path / "warehouse.duckdb"
    shutil.copyfile(source, published)
    shutil.copytree(source.parent / "versions", tmp_path / "versions")
    new_version = version_of(published)
    result = run_refresh(published, "rollback")
    assert result.returncode == 0, result.stderr
    assert version_of(published) == second_publish["old_version"]
    assert_complete_warehouse(published)
    assert_every_relation_answers(published)
    status = json.loads(run_refresh(published, "status").stdout)
    assert status["version"] == second_publish["old_version"]
    assert new_version in status["kept_versions"]  # and it can be rolled forward
    result = run_refresh(published, "rollback", "--to", new_version)
    assert result.returncode == 0, result.stderr
    assert version_of(published) == new_version
    assert_every_relation_answers(published)
    assert build_files(tmp_path) == []


def test_rollback_refuses_a_kept_version_whose_views_do_not_answer(
    baseline: Path, tmp_path: Path
):
    """A kept version written by a refresh before the build files had the published name
    (its views name the build file's catalog): rollback publishes nothing, exit 9."""
    published = copy_published(baseline, tmp_path)
    before, current = sha256(published), version_of(published)
    broken = Layout(published).directory / "versions" / "warehouse-20250101T000000000Z.duckdb"
    broken.parent.mkdir()
    shutil.copyfile(baseline, broken)
    build_catalog = tmp_path / "refresh-4708-20250101T000000000Z.duckdb"
    with duckdb.connect(str(build_catalog)) as con:
        con.execute("create schema staging; create table staging.x as select 1 as id")
    with duckdb.connect(str(broken)) as con:  # as dbt-duckdb wrote views into a build file
        con.execute(f"attach '{build_catalog}'")
        con.execute("create or replace view staging.stg_shop__customers as "
                    'select * from "refresh-4708-20250101T000000000Z".staging.x')
    build_catalog.unlink()
    result = run_refresh(published, "rollback")
    assert result.returncode == EXIT_AUDIT_FAILED, result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith("rollback failed (exit 9): audit failed: kept version "
                           "20250101T000000000Z does not answer")
    assert 'Catalog "refresh-4708-20250101T000000000Z" does not exist' in line
    assert "--to" in line
    assert sha256(published) == before and version_of(published) == current
    assert build_files(tmp_path) == []


def test_every_relation_of_a_published_file_answers_as_bi_opens_it(
    baseline: Path, second_publish: dict, tmp_path: Path
):
    """The first publish (from nothing), the second (over a copy of the first) and the
    other warehouse's (--full-refresh): every table and view of every schema answers from a
    read-only connection, and the export runs on the published file."""
    assert second_publish["code"] == 0 and second_publish["other_code"] == 0
    for database in (baseline, second_publish["published"], second_publish["other"]):
        assert_every_relation_answers(database)
    result = export_all(second_publish["published"], tmp_path / "exports")
    assert result.returncode == 0, result.stderr
    for segment in SEGMENTS:
        assert f"sms/{segment}: " in result.stdout
    assert result.stderr.strip() == ""


def test_two_warehouses_in_one_directory_are_refreshed_side_by_side(second_publish: dict):
    assert second_publish["code"] == 0, second_publish["output"][-3000:]
    assert second_publish["other_code"] == 0, second_publish["other_output"][-3000:]
    for key in ("output", "other_output"):
        assert "removed a dead refresh's build file" not in second_publish[key]
    published, other = second_publish["published"], second_publish["other"]
    assert version_of(published) > second_publish["old_version"]
    assert version_of(other) > second_publish["old_version"]
    for database in (published, other):
        summary = last_summary(database)
        assert summary["status"] == "published"
        assert summary["published_path"] == str(database)
        assert summary["version"] == version_of(database)
        assert Layout(database).runs_dir.is_dir()
        assert not lock_is_held(Layout(database).lock)
    assert build_files(published.parent) == []


def test_full_refresh_rebuilds_the_incremental_tables(second_publish: dict):
    """The planted row that no raw row backs is gone after `run --full-refresh`; the
    copy's history carries on (refresh.publishes keeps the baseline's version)."""
    assert second_publish["other_code"] == 0, second_publish["other_output"][-3000:]
    other = second_publish["other"]
    started = next(line for line in second_publish["other_output"].splitlines()
                   if "dbt build started" in line)
    assert started.endswith("--full-refresh")
    assert last_summary(other)["full_refresh"] is True
    assert planted_sessions(other) == 0
    with duckdb.connect(str(other), read_only=True) as con:
        versions = [row[0] for row in
                    con.execute("select version from refresh.publishes").fetchall()]
    assert len(versions) == 2 and second_publish["old_version"] in versions


def test_run_folders_keep_only_a_log_and_a_summary_once_older(second_publish: dict):
    """22 old run folders + this run: the oldest go (20 kept); the older ones keep only
    refresh.log and summary.json, this run keeps dbt's artifacts until the next one."""
    assert second_publish["other_code"] == 0
    runs = sorted(p for p in Layout(second_publish["other"]).runs_dir.iterdir() if p.is_dir())
    assert len(runs) == KEEP_RUNS
    old = second_publish["other_old_runs"]
    assert not any(run.exists() for run in old[:3])
    for run in runs[:-1]:
        assert sorted(p.name for p in run.iterdir()) == ["refresh.log", "summary.json"], run
    current = runs[-1]
    assert current not in old and (current / "target" / "manifest.json").exists()
    assert not Layout(second_publish["other"]).dbt_state.spill_dir.exists()


def test_a_failing_dbt_test_is_named_by_what_it_checks(baseline: Path, tmp_path: Path):
    """A real failing dbt test (the planted row fails the reconciliation in an incremental
    build of that one model and its tests): the refresh's one-line reason, read from
    dbt's run_results.json and manifest.json, names the test and the model, not a hash."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copyfile(baseline, database)
    plant_session(database)
    run_dbt(["build", "--select", "quarantine_reconciliation"], database, tmp_path,
            vars=FIXTURE_VARS, check=False)
    results = read_run_results(tmp_path / "target")
    reason = failure_reason(results, [])
    assert reason == (
        "test expression_is_true on quarantine_reconciliation (expression=raw_rows = "
        "clean_rows + quarantined_rows + merged_duplicate_rows + deleted_rows + erased_rows) "
        "fail: 1 failing row"
    )


def test_sigkill_during_dbt_leaves_the_published_file_unchanged(baseline: Path, tmp_path: Path):
    published = copy_published(baseline, tmp_path)
    before = sha256(published)
    out = tmp_path / "refresh.out"
    process = start_refresh(published, out, "run")
    wait_for_text(out, "dbt build started", process)
    time.sleep(3)  # dbt is now running against the build file
    assert build_files(tmp_path), "no build file while dbt runs"
    dbt_children = children_of(process.pid)
    assert dbt_children, "dbt is not running"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert wait_gone(dbt_children) == [], "dbt kept running after the refresh was killed"
    assert sha256(published) == before
    assert_complete_warehouse(published)
    assert not lock_is_held(Path(f"{published}.lock"))


@pytest.mark.parametrize("stage", ["validate", "publish"])
def test_sigkill_late_leaves_published_unchanged_and_a_waiting_refresh_takes_over(
    baseline: Path, quick_dbt: Path, tmp_path: Path, stage: str
):
    """Killed while validating or just before the rename: nothing changes. Meanwhile a
    second refresh exits at once (exit 3) and a third, waiting, takes over, cleans up the
    dead one's build file and publishes. (The quick dbt build and no source freshness:
    what is tested happens after them; test_stale_sources_stop_the_refresh_with_freshness_fail
    runs the freshness gate.)"""
    published = copy_published(baseline, tmp_path)
    before, old_version = sha256(published), version_of(published)
    first = start_refresh(published, tmp_path / "first.out", "run", "--freshness", "skip",
                          pause_at=stage, dbt=quick_dbt)
    wait_for_text(tmp_path / "first.out", f"paused at stage {stage}", first)

    second = run_refresh(published, "run")
    assert second.returncode == EXIT_LOCKED
    assert "another refresh" in second.stderr and str(first.pid) in second.stderr
    waiting = start_refresh(published, tmp_path / "third.out", "run", "--wait-seconds", "600",
                            "--freshness", "skip", dbt=quick_dbt)
    time.sleep(2)
    assert waiting.poll() is None, tail(tmp_path / "third.out")

    dead_builds = build_files(tmp_path)
    assert any(f"-{first.pid}-" in name for name in dead_builds)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert sha256(published) == before
    assert_complete_warehouse(published)

    assert waiting.wait(timeout=REFRESH_TIMEOUT) == 0, tail(tmp_path / "third.out")
    assert f"pid {first.pid} dead" in (tmp_path / "third.out").read_text()
    assert build_files(tmp_path) == []
    assert version_of(published) > old_version
    assert_complete_warehouse(published)
    # the killed refresh's dbt build kept its parse state: the next refresh of this
    # warehouse (same paths for dbt, same --vars) parses only what changed
    assert last_summary(published)["dbt"]["parse"]["partial"] is True


def test_failed_dbt_build_publishes_nothing(baseline: Path, tmp_path: Path):
    published = copy_published(baseline, tmp_path)
    before = sha256(published)
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW_DIR, raw)
    drop_csv_columns(raw / "orders.csv", ["status"])
    result = run_refresh(published, "run", vars={**FIXTURE_VARS, "raw_path": str(raw)})
    assert result.returncode == EXIT_DBT_FAILED, result.stderr
    reason = result.stderr.strip().splitlines()[-1]
    assert reason.startswith("refresh failed (exit 4): dbt build failed")
    assert "status" in reason
    assert sha256(published) == before
    assert build_files(tmp_path) == []


def test_failed_expectation_publishes_nothing(
    baseline: Path, models_only_dbt: Path, tmp_path: Path
):
    """A bad load (2,000 placeholder accounts appended to customers.csv: valid rows, so dbt
    passes, and the incremental event models keep their state) fails a suite that allows
    at most 5 VIPs, and the change band (the population grows fivefold): exit 5, the reason
    names the expectation; nothing published. (Every model is rebuilt, without dbt's data
    tests and source freshness: what is tested happens after them.)"""
    published = copy_published(baseline, tmp_path)
    before = sha256(published)
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW_DIR, raw)
    header, rows = read_csv_file(raw / "customers.csv")
    placeholders = []
    for number in range(2000):
        row = [""] * len(header)
        row[header.index("customer_id")] = f"BULK{number:05d}"
        row[header.index("registered_at")] = "2025-06-01 00:00:00"
        placeholders.append(row)
    write_csv_file(raw / "customers.csv", header, rows + placeholders)
    suites = tmp_path / "suites"
    shutil.copytree(REPO_ROOT / "gx" / "expectations", suites)
    vip = json.loads((suites / "segments.vip.json").read_text())
    vip["expectations"].append(
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"max_value": 5}}
    )
    (suites / "segments.vip.json").write_text(json.dumps(vip))
    result = run_refresh(
        published, "run", "--expectations", str(suites), "--freshness", "skip",
        vars={**FIXTURE_VARS, "raw_path": str(raw)}, dbt=models_only_dbt,
    )
    assert result.returncode == EXIT_EXPECTATION_FAILED, result.stdout[-2000:] + result.stderr
    reason = result.stderr.strip().splitlines()[-1]
    assert reason.startswith("refresh failed (exit 5): expectation failed: segments.vip")
    assert "expect_table_row_count_to_be_between" in reason
    assert sha256(published) == before
    assert build_files(tmp_path) == []
    summary = last_summary(published)
    assert summary["status"] == "failed" and summary["reason"] in reason
    failed = [e for e in summary["expectations"] if not e["success"]]
    assert {e["check"] for e in failed} == {"expectation", "change_band"}


def test_change_band_alone_gives_exit_6():
    band = ExpectationOutcome(
        "segments.vip", "expect_table_row_count_to_be_between", {}, False, "change_band", 40
    )
    hard = ExpectationOutcome(
        "segments.vip",
        "expect_column_values_to_be_unique",
        {"column": "customer_id"},
        False,
        "expectation",
    )
    assert classify_failures([], 0.5) is None
    assert classify_failures([band], 0.5)[0] == EXIT_CHANGE_BAND
    code, reason = classify_failures([band, hard], 0.5)
    assert code == EXIT_EXPECTATION_FAILED and "customer_id" in reason


def test_source_freshness_is_reported_in_warn_mode(baseline: Path):
    """The baseline refresh ran with the default --freshness warn: the fixture's events end
    in mid-2025, so its sources are stale, which is recorded but does not block."""
    summary = last_summary(baseline)
    freshness = summary["freshness"]
    assert freshness["checked"] and freshness["mode"] == "warn"
    assert set(freshness["sources"]) == {"customers", "orders", "sessions", "carts"}
    assert all(item["status"] == "error" for item in freshness["sources"].values())
    assert freshness["sources"]["orders"]["max_loaded_at"].startswith("2025-")


def test_stale_sources_stop_the_refresh_with_freshness_fail(
    baseline: Path, quick_dbt: Path, tmp_path: Path
):
    """The freshness gate runs after the build (the quick one here) with dbt's own
    `source freshness` on what the build file holds of the fixture's raw rows."""
    published = copy_published(baseline, tmp_path)
    before = sha256(published)
    result = run_refresh(published, "run", "--freshness", "fail", dbt=quick_dbt)
    assert result.returncode == EXIT_STALE_SOURCES, result.stderr[-2000:]
    reason = result.stderr.strip().splitlines()[-1]
    assert reason.startswith("refresh failed (exit 8): stale sources")
    assert "orders" in reason
    assert sha256(published) == before
    assert build_files(tmp_path) == []


def test_source_freshness_reads_the_warehouse_not_the_raw_files(baseline: Path, tmp_path: Path):
    """Source freshness is the latest event time the warehouse has received, read from what
    the build holds: it reads no raw file, so it costs the same whatever the raw data's
    size. The baseline refresh's freshness step printed no `raw input` line (its build did:
    one per file read). By hand, `dbt source freshness` on the published warehouse gives
    the refresh's answer even after the raw directory received an unreadable file
    (reading the raw data, its on-run-start hook stopped on it: "The raw data cannot be
    read")."""
    run_dir = next(Layout(baseline).runs_dir.iterdir())
    log = (run_dir / "refresh.log").read_text()
    build_part, freshness_part = log.split("dbt build passed", 1)
    assert "raw input orders: " in build_part
    freshness_part = freshness_part.split("source freshness: ", 1)[0]
    assert "raw input " not in freshness_part, freshness_part[-2000:]
    assert last_summary(baseline)["freshness"]["seconds"] > 0

    published = copy_published(baseline, tmp_path)
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW_DIR, raw)
    (raw / "orders.csv").write_bytes(bytes(range(256)) * 64)  # garbage, not a CSV file
    sources_json = tmp_path / "sources.json"
    result = run_dbt(["source", "freshness", "--output", str(sources_json)], published,
                     tmp_path / "dbt", vars={**FIXTURE_VARS, "raw_path": str(raw)}, check=False)
    output = result.stdout + result.stderr
    assert "cannot be read" not in output and "raw input " not in output, output[-3000:]
    assert sources_json.exists(), output[-3000:]
    by_hand = {item["unique_id"].split(".")[-1]: (item["status"], item["max_loaded_at"])
               for item in json.loads(sources_json.read_text())["results"]}
    refreshed = {name: (item["status"], item["max_loaded_at"])
                 for name, item in last_summary(baseline)["freshness"]["sources"].items()}
    assert by_hand == refreshed


# --- erasure --------------------------------------------------------------------------------

ERASURES_MODEL = "stg_shop__erasures"
# A stand-in for the staging model that lists erased customers, used only while the project
# has none of its own: it reads <raw_path>/erasures.csv as the real one does, but (unlike
# it) does not remove the customers from the build. The refresh's part is the same.
ERASURES_STAND_IN = """{{ config(materialized='table') }}
select distinct sha256(trim(customer_id)) as customer_id_hash
from read_csv('{{ var("raw_path") }}/erasures.csv', header = true, all_varchar = true)
"""


def project_with_erasures(directory: Path) -> tuple[Path, bool]:
    """(the dbt project to refresh with, whether it is the repository's own): the
    repository when it has its erasure model, else a copy with the stand-in."""
    if list((REPO_ROOT / "models").rglob(f"{ERASURES_MODEL}.sql")):
        return REPO_ROOT, True
    project = directory / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copyfile(REPO_ROOT / name, project / name)
    for name in ("models", "macros", "seeds", "snapshots", "analyses"):
        shutil.copytree(REPO_ROOT / name, project / name)
    shutil.copytree(REPO_ROOT / "tests", project / "tests",
                    ignore=shutil.ignore_patterns("python", "fixtures"))
    (project / "models" / "staging" / "shop" / f"{ERASURES_MODEL}.sql").write_text(
        ERASURES_STAND_IN
    )
    return project, False


def without_customer(source: Path, target: Path, customer_id: str, version: str) -> None:
    """`target`: `source` as a version published before `customer_id` registered (every
    row with that customer_id gone), recorded as `version`."""
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as con:
        tables = con.execute(
            "select columns.table_schema, columns.table_name from information_schema.columns "
            "as columns inner join information_schema.tables as tables on "
            "columns.table_schema = tables.table_schema and columns.table_name = "
            "tables.table_name where tables.table_type = 'BASE TABLE' "
            "and columns.column_name = 'customer_id'"
        ).fetchall()
        for schema, name in tables:
            con.execute(f'delete from "{schema}"."{name}" where trim(customer_id) = ?',
                        [customer_id])
        con.execute("update refresh.publishes set version = ?", [version])


def test_erasure_removes_every_kept_version_and_export_that_held_the_customer(
    baseline: Path, models_only_dbt: Path, tmp_path: Path
):
    """A refresh whose raw data asks to erase a customer publishes, then removes the kept
    version that held them (the file it replaced) and the export files written from it;
    a kept version without the customer, and its exports, stay. (Every model is rebuilt,
    without dbt's data tests and source freshness: test_incremental.py tests the build's
    erasure, this test what the refresh does after the publish.)"""
    directory = tmp_path / "published"
    (directory / "versions").mkdir(parents=True)
    held = version_of(baseline)
    with duckdb.connect(str(baseline), read_only=True) as con:
        erased = con.execute(
            "select min(customer_id) from staging.stg_shop__customers"
        ).fetchone()[0]
    # published first: two versions from before the customer registered, each exported
    # (the first pruned since, so it can no longer be examined; the second kept); then the
    # baseline, which holds the customer, exported too
    published = directory / "warehouse.duckdb"
    without_customer(baseline, published, erased, "19990101T000000000Z")
    assert export_all(published, tmp_path / "exports-pruned").returncode == 0
    older = "20000101T000000000Z"
    without_customer(baseline, published, erased, older)
    assert export_all(published, tmp_path / "exports-older").returncode == 0
    older_file = directory / "versions" / f"warehouse-{older}.duckdb"
    published.rename(older_file)
    copy_published(baseline, directory)
    assert export_all(published, tmp_path / "exports-held").returncode == 0
    held_exports = sorted((tmp_path / "exports-held").rglob("*.*"))
    held_exports += sorted((tmp_path / "exports-pruned").rglob("*.*"))
    older_exports = sorted((tmp_path / "exports-older").rglob("*.*"))
    assert held_exports and older_exports
    assert any(erased in path.read_text() for path in held_exports if path.suffix == ".csv")

    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW_DIR, raw)
    (raw / "erasures.csv").write_text(f"customer_id\n {erased} \n")
    project, own_model = project_with_erasures(tmp_path)
    result = subprocess.run(
        [*refresh_command(published, "run", vars={**FIXTURE_VARS, "raw_path": str(raw)},
                          dbt=models_only_dbt),
         "--project-dir", str(project), "--freshness", "skip"],
        cwd=REPO_ROOT, env=refresh_env(), capture_output=True, text=True,
        timeout=REFRESH_TIMEOUT, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    summary = last_summary(published)["erasure"]
    assert summary["erased_customers"] == summary["new_requests"] == 1
    assert summary["removed_versions"] == [held]
    assert summary["removed_exports"] == sorted(str(path) for path in held_exports)
    assert (f"erasure: customers erased 1 (1 new), kept versions removed 1 ({held}), export "
            f"files removed {len(held_exports)}") in result.stdout
    assert [path for path in held_exports if path.exists()] == []
    assert all(path.exists() for path in older_exports)
    assert sorted(path.name for path in (directory / "versions").iterdir()) == [older_file.name]
    status = subprocess.run(refresh_command(published, "status"), cwd=REPO_ROOT,
                            env=refresh_env(), capture_output=True, text=True, check=True)
    assert json.loads(status.stdout)["kept_versions"] == [older]
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute(
            "select customer_id_hash from staging.stg_shop__erasures"
        ).fetchall() == [(hashlib.sha256(erased.encode()).hexdigest(),)]
        if own_model:  # the models erase the customer from the build itself
            assert con.execute(
                "select count(*) from staging.stg_shop__customers where customer_id = ?",
                [erased],
            ).fetchone()[0] == 0
    # the list stays in the raw data: the next publish finds nothing new to carry out
    assert erased not in Layout(published).erasures_applied.read_text()
    again = erasure.erase_from_kept_versions(published)
    assert (again.new_requests, again.removed_versions, again.removed_exports) == (0, [], [])
    assert all(path.exists() for path in older_exports)
