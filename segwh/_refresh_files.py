"""File-level helpers of the refresh: the lock, build files, versions, durable renames.

Everything here works on the directory of the published warehouse file, so that every
rename is on one filesystem (``os.replace`` is atomic there).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

BUILD_PREFIX = ".refresh-"
BUILD_PATTERN = re.compile(r"^\.refresh-(?P<pid>\d+)-(?P<stamp>[0-9TZ]+)\.duckdb(?P<suffix>.*)$")
VERSION_PATTERN = re.compile(r"^(?P<stem>.+)-(?P<version>\d{8}T\d{9}Z)\.duckdb$")


class LockBusy(Exception):
    """Another process holds the refresh lock."""


@dataclass
class RefreshLock:
    """An exclusive ``flock`` on ``<published>.lock``; the kernel releases it when we die."""

    path: Path
    fd: int | None = None

    def acquire(self, wait_seconds: float, poll_seconds: float = 0.2) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = read_lock_holder(self.path)
                    os.close(fd)
                    who = f"pid {holder}" if holder else "another process"
                    raise LockBusy(
                        f"another refresh ({who}) holds the lock {self.path}; "
                        f"gave up after {wait_seconds:g} s (see --wait-seconds)"
                    ) from None
                time.sleep(poll_seconds)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
                self.fd = None


def read_lock_holder(path: Path) -> int | None:
    """The pid written by the last holder of the lock file (it may have ended)."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def lock_is_held(path: Path) -> bool:
    """Whether some process holds the lock right now (a non-blocking probe)."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_path_for(published: Path, pid: int, stamp: str) -> Path:
    return published.parent / f"{BUILD_PREFIX}{pid}-{stamp}.duckdb"


def remove_stale_builds(directory: Path, own_pid: int) -> list[str]:
    """Removes build files (and their .wal) left by refreshes that died.

    Called while holding the lock, so no other refresh can be running; a file whose pid
    is still alive is a leftover of a pid that was reused, and is removed all the same.
    Returns a description per removed file.
    """
    removed: list[str] = []
    if not directory.exists():
        return removed
    for entry in sorted(directory.iterdir()):
        match = BUILD_PATTERN.match(entry.name)
        if not match or int(match["pid"]) == own_pid:
            continue
        pid = int(match["pid"])
        state = "alive (pid reused?)" if pid_alive(pid) else "dead"
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(f"{entry.name} (pid {pid} {state})")
    return removed


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_durably(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    fsync_file(target)


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
    fsync_dir(target.parent)
    return target


def prune_versions(published: Path, keep: int) -> list[str]:
    """Deletes all but the newest `keep` versions; returns the removed version ids."""
    versions = list_versions(published)
    removed = versions[: max(len(versions) - keep, 0)]
    for version in removed:
        version_file(published, version).unlink(missing_ok=True)
    return removed


def publish(build: Path, published: Path) -> None:
    """Atomically puts `build` at `published` (same directory, so the same filesystem)."""
    fsync_file(build)
    os.replace(build, published)
    fsync_dir(published.parent)
