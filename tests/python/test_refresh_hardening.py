"""Rough edges of the refresh, the export and `make metrics` (issue 13): each one gives one
clear line and no traceback, shown by running the real commands as subprocesses on small
DuckDB files. Nothing here runs a `dbt build` (only one `dbt parse`): the refresh tests
that need a built warehouse are in test_refresh.py, which builds one baseline per session.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT

from segwh import refresh
from segwh.export import SEGMENTS

TIMEOUT = 300


def python_module(module: str, *args: str, cwd: Path = REPO_ROOT, **env: str):
    environment = dict(os.environ)
    environment.pop("SEGWH_REFRESH_PAUSE_AT", None)
    environment.update({"PYTHONPATH": str(REPO_ROOT), "DBT_PROFILES_DIR": str(REPO_ROOT), **env})
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def one_line(stderr: str) -> str:
    """The only non-empty line of `stderr` (fails when there is a traceback or several)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    return lines[0]


def holding_writer(database: Path) -> subprocess.Popen:
    """Another process that holds `database` open read-write (as `dbt build` does)."""
    ready = database.with_name(database.name + ".ready")
    script = textwrap.dedent(
        """
        import sys, time, duckdb
        con = duckdb.connect(sys.argv[1])
        open(sys.argv[2], "w").close()
        time.sleep(600)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(database), str(ready)])
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ready.exists(), "the writer never opened the file"
    return process


# --- the refresh: a refresh killed with SIGKILL -----------------------------------------------


def test_status_after_a_killed_refresh_says_it_died(tmp_path: Path):
    published = tmp_path / "warehouse.duckdb"
    out = tmp_path / "refresh.out"
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), SEGWH_REFRESH_PAUSE_AT="locked")
    with open(out, "wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "segwh.refresh", "run", "--published", str(published)],
            cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while "paused at stage locked" not in out.read_text(errors="replace"):
            assert process.poll() is None and time.monotonic() < deadline, out.read_text()
            time.sleep(0.2)
        running = json.loads(python_module("segwh.refresh", "status", "--published",
                                           str(published)).stdout)
        assert running["refresh_running"] and running["lock_holder_pid"] == process.pid
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    result = python_module("segwh.refresh", "status", "--published", str(published))
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["refresh_running"] is False
    assert status["lock_holder_pid"] is None
    died = status["last_run"]
    assert died["status"] == "died" and died["pid"] == process.pid
    assert str(process.pid) in died["reason"] and "nothing" in died["reason"]
    assert Path(died["log"]).is_file() and "lock acquired" in Path(died["log"]).read_text()


# --- the refresh: a full disk -----------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 6 MB tmpfs of its own (needs root; the real disk is never filled)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)],
        capture_output=True, text=True, check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); "
                    "test_summary_is_written_atomically covers the summary in-process")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(directory: Path) -> None:
    """Writes a file into `directory` until its filesystem has no byte left."""
    with open(directory / "filler", "wb", buffering=0) as handle:
        chunk = b"\0" * 65536
        while True:
            try:
                handle.write(chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                chunk = chunk[: len(chunk) // 2]
                if not chunk:
                    return


@pytest.mark.parametrize("when", ["disk already full", "no room for the build copy"])
def test_full_disk_gives_one_line_and_never_a_truncated_summary(small_disk: Path, when: str):
    published = small_disk / "warehouse.duckdb"
    with duckdb.connect(str(published)) as con:  # ~3 MB: a second copy does not fit
        con.execute("create table t as select range as i, md5(range::varchar) as s "
                    "from range(150000)")
    before = published.read_bytes()
    last = small_disk / "warehouse.duckdb.refresh-last.json"
    previous = json.dumps({"status": "published", "version": "20250101T000000000Z"})
    last.write_text(previous)
    if when == "disk already full":
        fill(small_disk)
    result = python_module("segwh.refresh", "run", "--published", str(published))
    assert result.returncode == refresh.EXIT_ERROR
    line = one_line(result.stderr)
    assert line.startswith("refresh failed (exit 1): no space left on device"), line
    assert "nothing published" in line and str(small_disk) in line
    assert published.read_bytes() == before
    (small_disk / "filler").unlink(missing_ok=True)
    summaries = [path for path in small_disk.rglob("*.json")]
    for path in summaries:  # every summary left is complete JSON, none truncated
        json.loads(path.read_text())
    assert not [p.name for p in small_disk.rglob("*") if ".tmp" in p.name]
    assert not list(small_disk.glob(".refresh-*")), "a build folder was left behind"
    if when == "disk already full":
        assert last.read_text() == previous
    else:
        summary = json.loads(last.read_text())
        assert summary["status"] == "failed" and "no space left" in summary["reason"]


def test_summary_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """ENOSPC injected in-process after part of the summary is written (os.write fails
    from its second call): the previous summaries stay whole and no temporary file is
    left. (The tmpfs test above gets a real ENOSPC from the kernel.)"""
    run = refresh.Run(
        published=tmp_path / "warehouse.duckdb", vars_yaml=None, keep=5, max_change=0.5,
        wait_seconds=0, suites_dir=tmp_path, project_dir=REPO_ROOT, dbt=Path("dbt"),
    )
    run.run_dir.mkdir(parents=True)
    run.summary["padding"] = "x" * 200_000  # written in more than one os.write call
    old_last, old_run = '{"status": "published"}', '{"status": "running"}'
    refresh.files.Layout(run.published).last_summary.write_text(old_last)
    (run.run_dir / "summary.json").write_text(old_run)
    real_write, calls = os.write, []

    def write(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, bytes(data)[:4096])

    monkeypatch.setattr(os, "write", write)
    problem = refresh.write_summary(run, refresh.EXIT_OK, None)
    monkeypatch.undo()
    assert len(calls) >= 2
    assert problem is not None and "No space left on device" in problem
    assert refresh.files.Layout(run.published).last_summary.read_text() == old_last
    assert (run.run_dir / "summary.json").read_text() == old_run
    leftovers = [p.name for p in tmp_path.rglob("*") if ".tmp" in p.name]
    assert leftovers == []


# --- export -------------------------------------------------------------------------------


def small_warehouse(path: Path, contacts_view_catalog: str | None = None) -> Path:
    """A DuckDB file with the relations the export reads (a few rows). With
    `contacts_view_catalog`, staging.stg_shop__customers is a view naming that catalog,
    as dbt-duckdb wrote them into a build file of that name."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema segments; create schema staging; create schema reference")
        con.execute("create table reference.country_calling_codes as "
                    "select 'DE' as country_code, '49' as calling_code")
        for segment in SEGMENTS:
            con.execute(f"create table segments.{segment} as select 'C1' as customer_id, "
                        "true as sms_opt_in, true as email_opt_in")
        contacts = ("select 'C1' as customer_id, 'a@b.de' as email, true as is_email_valid, "
                    "'0301234567' as phone, 'DE' as country_code")
        if contacts_view_catalog is None:
            con.execute(f"create table staging.stg_shop__customers as {contacts}")
    if contacts_view_catalog is not None:
        other = path.with_name(f"{contacts_view_catalog}.duckdb")
        with duckdb.connect(str(other)) as con:
            con.execute("create schema staging")
            con.execute(f"create table staging.contacts as {contacts}")
        with duckdb.connect(str(path)) as con:
            con.execute(f"attach '{other}'")
            con.execute(f'create view staging.stg_shop__customers as select * from '
                        f'"{contacts_view_catalog}".staging.contacts')
        other.unlink()
    return path


def run_export(database: Path, out: Path):
    return python_module("segwh.export", "--channel", "all", "--duckdb", str(database),
                         "--out", str(out))


def test_export_works_on_the_small_warehouse(tmp_path: Path):
    result = run_export(small_warehouse(tmp_path / "warehouse.duckdb"), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "sms/vip: 1 rows of 1 members" in result.stdout


def test_export_without_a_warehouse_says_so(tmp_path: Path):
    missing = tmp_path / "warehouse.duckdb"
    result = run_export(missing, tmp_path / "out")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert f"no warehouse at {missing}" in line and "make build" in line
    assert not missing.exists()


def test_export_on_a_half_built_warehouse_names_what_is_missing(tmp_path: Path):
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:  # a build that stopped early
        con.execute("create schema reference")
        con.execute("create table reference.country_calling_codes as "
                    "select 'DE' as country_code, '49' as calling_code")
    result = run_export(database, tmp_path / "out")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "segments.vip" in line and "make build" in line and "make refresh" in line
    assert result.stdout == "" and not (tmp_path / "out").exists()


def test_export_on_a_view_naming_another_catalog_says_it_does_not_answer(tmp_path: Path):
    database = small_warehouse(tmp_path / "warehouse.duckdb", "refresh-123-20250101T0000Z")
    result = run_export(database, tmp_path / "out")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "staging.stg_shop__customers" in line and "does not answer" in line
    assert "refresh-123-20250101T0000Z" in line
    assert result.stdout == "" and not (tmp_path / "out").exists()


def test_export_while_a_build_writes_the_file_says_to_wait(tmp_path: Path):
    database = small_warehouse(tmp_path / "warehouse.duckdb")
    writer = holding_writer(database)
    try:
        result = run_export(database, tmp_path / "out")
    finally:
        writer.kill()
        writer.wait()
    assert result.returncode == 3
    line = one_line(result.stderr)
    assert "being written by another process" in line and f"pid {writer.pid}" in line
    assert "retry" in line


# --- make metrics ---------------------------------------------------------------------------


PROJECT_ENTRIES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots",
                   "tests", "analyses", "Makefile", "requirements.txt", "pyproject.toml",
                   ".venv", "segwh")


@pytest.fixture(scope="module")
def metrics_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project root of its own (links to the repository), so that `make metrics` writes
    its own target/ and logs/."""
    root = tmp_path_factory.mktemp("metrics") / "project"
    root.mkdir()
    for entry in PROJECT_ENTRIES:
        (root / entry).symlink_to(REPO_ROOT / entry)
    return root


def make_metrics(root: Path, database: Path) -> tuple[subprocess.CompletedProcess, str]:
    """`make metrics` on `database`; returns the result and its one error line (make's own
    `make: *** ... Error` line aside), failing on a traceback or several lines."""
    env = dict(os.environ, DUCKDB_PATH=str(database), DUCKDB_TEMP_DIR=str(root / "tmp"))
    env.pop("DBT_PROJECT_DIR", None)
    # as a user runs it: not as a sub-make of `make test` (which prefixes `make[1]:`)
    for name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS"):
        env.pop(name, None)
    # -o venv: never (re)install the shared virtualenv from a test
    result = subprocess.run(["make", "--no-print-directory", "-o", "venv", "metrics"],
                            cwd=root, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT, check=False)
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines()
             if line.strip() and not line.startswith("make:")]
    assert len(lines) == 1, result.stderr
    return result, lines[0]


def test_make_metrics_before_any_build_says_to_build(metrics_project: Path, tmp_path: Path):
    missing = tmp_path / "warehouse.duckdb"
    result, line = make_metrics(metrics_project, missing)
    assert line == (f"metrics: no warehouse at {missing}: run `make build` (or `make "
                    "refresh`) first, or point DUCKDB_PATH at the published warehouse file")
    assert not missing.exists(), "make metrics created an empty warehouse file"
    assert "dbt parse" not in result.stdout, "parsed the project for nothing"


def test_make_metrics_while_a_build_writes_the_file_says_to_wait(
    metrics_project: Path, tmp_path: Path
):
    database = small_warehouse(tmp_path / "warehouse.duckdb")
    writer = holding_writer(database)
    try:
        _, line = make_metrics(metrics_project, database)
    finally:
        writer.kill()
        writer.wait()
    assert "being written by another process" in line and f"pid {writer.pid}" in line


def test_make_metrics_on_a_half_built_warehouse_names_what_is_missing(
    metrics_project: Path, tmp_path: Path
):
    """A build that stopped before the semantic models: the check after `dbt parse` reads
    the relations of the semantic manifest that parse wrote."""
    database = small_warehouse(tmp_path / "warehouse.duckdb")
    result, line = make_metrics(metrics_project, database)
    assert "dbt parse" in result.stdout
    assert f"{database} has no semantic." in line and "make build" in line
    assert "mf query" not in result.stdout


# --- the refresh: dbt's stable paths and parse state ------------------------------------------


def test_dbt_state_gives_dbt_one_path_per_warehouse_and_keeps_its_parse_state(tmp_path: Path):
    """The paths dbt sees stay the same from run to run (a symlink repointed at each run's
    build folder), the parse state is kept whole, and where no symlink can be made dbt
    gets the build file itself (it then parses in full, nothing breaks)."""
    layout = refresh.files.Layout(tmp_path / "warehouse.duckdb")
    state = layout.dbt_state
    paths = []
    for pid in (101, 102):
        build = layout.build_file(pid, "20250101T000000000Z")
        build.parent.mkdir()
        paths.append(state.point_at(build))
        assert paths[-1].resolve() == build.resolve()
    assert paths[0] == paths[1] == state.link / "warehouse.duckdb"

    target = tmp_path / "run" / "target"
    assert state.restore(target) is False  # nothing kept yet: dbt parses in full
    target.mkdir(parents=True)
    (target / "partial_parse.msgpack").write_bytes(b"state one")
    state.keep(target)
    (target / "partial_parse.msgpack").unlink()
    state.keep(target)  # a dbt command that wrote none leaves the kept one
    later = tmp_path / "later" / "target"
    assert state.restore(later) is True
    assert (later / "partial_parse.msgpack").read_bytes() == b"state one"
    assert [p.name for p in state.directory.iterdir() if ".tmp" in p.name] == []

    state.spill_dir.mkdir()
    state.clean_up()
    assert not state.link.is_symlink() and not state.spill_dir.exists()
    assert state.parse_state.read_bytes() == b"state one"

    state.link.mkdir()  # a name the symlink cannot take
    build = layout.build_file(103, "20250101T000000000Z")
    build.parent.mkdir()
    assert state.point_at(build) == build
