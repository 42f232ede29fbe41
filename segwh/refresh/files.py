"""Where the refresh keeps its files, and how it writes them: build files, kept versions,
run folders, durable writes and renames.

Everything the refresh keeps is named after the published warehouse file (``Layout``), so
that two warehouses in one directory never touch each other's files, and lives in the
directory of that file, so that every rename is on one filesystem (``os.replace`` is
atomic there).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

BUILD_PREFIX = ".refresh-"
# build folders of refreshes before the per-warehouse layout (one per directory)
LEGACY_BUILD_PATTERN = re.compile(r"^\.refresh-(?P<pid>\d+)-[0-9TZ]+\.duckdb(\.wal)?$")
PARSE_STATE = "partial_parse.msgpack"  # dbt's own name for it, in its target folder
VERSION_PATTERN = re.compile(r"^(?P<stem>.+)-(?P<version>\d{8}T\d{9}Z)\.duckdb$")


@dataclass(frozen=True)
class Layout:
    """The paths the refresh keeps for one published file ``<dir>/<name>``:

    - ``<name>.lock``: the lock (its content: the pid of the holder);
    - ``.refresh-<name>-<pid>-<stamp>/<name>``: a build file, in a private folder and under
      the published file's own name (DuckDB names a file's catalog after its stem, and
      dbt-duckdb writes that catalog into every view: a view built in a file of another
      name stops answering once renamed);
    - ``<name>.refresh-runs/<run>/``: each run's log and summary;
    - ``<name>.refresh-last.json``: the summary of the last run;
    - ``<name>.erasures-applied``: the hashes of the customers whose erasure is done;
    - ``<name>.refresh-dbt/``: what keeps dbt's view of the build the same from run to
      run, so that dbt can reuse its parse state (``DbtState``);
    - ``versions/<stem>-<version>.duckdb``: the kept versions.
    """

    published: Path

    @property
    def directory(self) -> Path:
        return self.published.parent

    @property
    def name(self) -> str:
        return self.published.name

    @property
    def lock(self) -> Path:
        return self.directory / f"{self.name}.lock"

    @property
    def runs_dir(self) -> Path:
        return self.directory / f"{self.name}.refresh-runs"

    @property
    def erasures_applied(self) -> Path:
        return self.directory / f"{self.name}.erasures-applied"

    @property
    def dbt_state(self) -> DbtState:
        return DbtState(self.directory / f"{self.name}.refresh-dbt", self.name)

    @property
    def last_summary(self) -> Path:
        return self.directory / f"{self.name}.refresh-last.json"

    def build_file(self, pid: int, stamp: str) -> Path:
        """A new build file: ``<name>`` in its own folder beside the published file."""
        return self.directory / f"{BUILD_PREFIX}{self.name}-{pid}-{stamp}" / self.name

    @property
    def build_pattern(self) -> re.Pattern[str]:
        return re.compile(
            rf"^{re.escape(BUILD_PREFIX + self.name)}-(?P<pid>\d+)-(?P<stamp>[0-9TZ]+)$"
        )


@dataclass(frozen=True)
class DbtState:
    """``<name>.refresh-dbt/``: the same paths for dbt in every refresh of one warehouse.

    dbt re-parses the whole project (~10 s) unless its parse state
    (``partial_parse.msgpack``) was written with the same connection info, which for
    dbt-duckdb includes the file's path and ``temp_directory``. A build file has a new
    folder per run, so dbt is given it through ``build``, a symlink to that folder
    (repointed by each run, under the lock), and DuckDB spills to ``duckdb_tmp``; the
    parse state of the last dbt command is kept as ``partial_parse.msgpack``. dbt still
    checks the state (dbt version, --vars, profile, dbt_project.yml, every file's
    checksum) and parses again what changed, or everything.
    """

    directory: Path
    name: str

    @property
    def link(self) -> Path:
        return self.directory / "build"

    @property
    def spill_dir(self) -> Path:
        return self.directory / "duckdb_tmp"

    @property
    def parse_state(self) -> Path:
        return self.directory / PARSE_STATE

    def point_at(self, build: Path) -> Path:
        """The path dbt is given for `build`: ``build/<name>`` through the link, or
        `build` itself where no symlink can be made (dbt then parses in full)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".build.{os.getpid()}.tmp"
        try:
            tmp.unlink(missing_ok=True)
            os.symlink(os.path.relpath(build.parent, self.directory), tmp)
            os.replace(tmp, self.link)
        except OSError:
            tmp.unlink(missing_ok=True)
            return build
        return self.link / build.name

    def restore(self, target: Path) -> bool:
        """Puts the kept parse state into dbt's `target` folder; whether there was one."""
        if not self.parse_state.is_file():  # none kept yet: dbt parses in full
            return False
        try:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.parse_state, target / PARSE_STATE)
        except OSError:  # no room for it: dbt parses in full
            return False
        return True

    def keep(self, target: Path) -> None:
        """Keeps the parse state dbt wrote into `target`, whole or not at all (a state
        that cannot be kept, on a full disk, only costs the next run a full parse)."""
        written = target / PARSE_STATE
        tmp = self.directory / f".{PARSE_STATE}.{os.getpid()}.tmp"
        try:
            shutil.copyfile(written, tmp)
            os.replace(tmp, self.parse_state)
        except OSError:
            pass
        finally:
            tmp.unlink(missing_ok=True)

    def clean_up(self) -> None:
        """At the end of a run: the link (its build folder is gone) and the spill files."""
        self.link.unlink(missing_ok=True)
        shutil.rmtree(self.spill_dir, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_builds(layout: Layout, own_pid: int) -> list[str]:
    """Removes the build folders of this warehouse left by refreshes that died.

    Called while holding the warehouse's lock, so no other refresh of it can be running:
    a folder whose pid is still alive is a leftover of a pid that was reused, and is
    removed all the same. Build files of other warehouses in the directory are never
    touched; a build file of the old one-per-directory layout only when its pid is dead.
    Returns a description per removed entry.
    """
    removed: list[str] = []
    if not layout.directory.exists():
        return removed
    for entry in sorted(layout.directory.iterdir()):
        match = layout.build_pattern.match(entry.name)
        legacy = LEGACY_BUILD_PATTERN.match(entry.name)
        if match:
            pid = int(match["pid"])
            if pid == own_pid:
                continue
        elif legacy and not pid_alive(int(legacy["pid"])):
            pid = int(legacy["pid"])
        else:
            continue
        state = "alive (pid reused?)" if pid_alive(pid) else "dead"
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(f"{entry.name} (pid {pid} {state})")
    return removed


def remove_build(build: Path) -> None:
    """Removes a build file's private folder (the file, its .wal, anything DuckDB left)."""
    if build.parent.name.startswith(BUILD_PREFIX):
        shutil.rmtree(build.parent, ignore_errors=True)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomically(path: Path, text: str) -> None:
    """Writes `path` whole or not at all: a temporary file beside it, fsynced, renamed
    onto it. On an error (a full disk) the temporary file is removed and the previous
    `path` is left as it was."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            write_all(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def fsync(path: Path) -> None:
    """Flushes a file's data, or a directory's entries (a rename or unlink in it), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_durably(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    fsync(target)


def versions_dir(published: Path) -> Path:
    return published.parent / "versions"


def version_file(published: Path, version: str) -> Path:
    return versions_dir(published) / f"{published.stem}-{version}.duckdb"


def list_versions(published: Path) -> list[str]:
    """Kept versions, oldest first (version ids sort by time)."""
    directory = versions_dir(published)
    if not directory.exists():
        return []
    versions = []
    for entry in directory.iterdir():
        match = VERSION_PATTERN.match(entry.name)
        if match and match["stem"] == published.stem:
            versions.append(match["version"])
    return sorted(versions)


def keep_version(published: Path, version: str) -> Path | None:
    """Keeps the current published file as version `version` (a hard link: no copy, and
    readers that have it open are not disturbed). Returns the version file."""
    if not published.exists():
        return None
    target = version_file(published, version)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return target
    try:
        os.link(published, target)
    except OSError:
        copy_durably(published, target)
    fsync(target.parent)
    return target


def prune_versions(published: Path, keep: int) -> list[str]:
    """Deletes all but the newest `keep` versions; returns the removed version ids."""
    versions = list_versions(published)
    removed = versions[: max(len(versions) - keep, 0)]
    for version in removed:
        version_file(published, version).unlink(missing_ok=True)
    return removed


def publish(build: Path, published: Path) -> None:
    """Atomically puts `build` (named like `published`, in a folder beside it: the same
    filesystem) at `published`, then removes the build's folder."""
    fsync(build)
    os.replace(build, published)
    fsync(published.parent)
    remove_build(build)


# --- run folders ----------------------------------------------------------------------

RUN_ARTIFACTS_KEPT = ("refresh.log", "summary.json")


def prune_runs(runs_dir: Path, keep: int, current: Path | None) -> None:
    """Keeps the newest `keep` run folders; of all but `current`, keeps only the log and
    the summary (dbt's target/ and logs/ are ~20 MB a run)."""
    if not runs_dir.exists():
        return
    runs = sorted(path for path in runs_dir.iterdir() if path.is_dir())
    for old in runs[: max(len(runs) - keep, 0)]:
        shutil.rmtree(old, ignore_errors=True)
    for run in runs[max(len(runs) - keep, 0):]:
        if run == current:
            continue
        for entry in run.iterdir():
            if entry.name in RUN_ARTIFACTS_KEPT:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def run_dir_of(runs_dir: Path, pid: int) -> Path | None:
    """The newest run folder of the refresh with `pid` (run folders end in -<pid>)."""
    if not runs_dir.exists():
        return None
    runs = sorted(p for p in runs_dir.iterdir() if p.is_dir() and p.name.endswith(f"-{pid}"))
    return runs[-1] if runs else None
