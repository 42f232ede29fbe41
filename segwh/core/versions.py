"""Which published version a warehouse file is, and which export files were written from
it: read by the refresh (erasure, rollback, status), the export and the dashboard.

A refresh records each publish in the file it publishes (``refresh.publishes``); the
newest row is the file's version. A file that no refresh published (``make build``) has
none. Every export appends one line per written file to a ledger beside the warehouse file
it read, ``<name>.exports.jsonl``, so that the refresh can find and remove the export files
written from a version that an erasure removes.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

# the id under which a published file that no refresh versioned is kept
UNVERSIONED = "00000000T000000000Z"
LEDGER_SUFFIX = ".exports.jsonl"


def version_in(con: duckdb.DuckDBPyConnection) -> str | None:
    """The version recorded in the file behind `con`, or None."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = current_database() "
        "and table_schema = 'refresh' and table_name = 'publishes'"
    ).fetchone()[0]
    if not exists:
        return None
    return con.execute("select max(version) from refresh.publishes").fetchone()[0]


def published_version(database: Path) -> str | None:
    """The version recorded in a warehouse file by the refresh that published it."""
    if not database.exists():
        return None
    with duckdb.connect(str(database), read_only=True) as con:
        return version_in(con)


def export_ledger(database: Path) -> Path:
    """The ledger of the exports written from `database`: beside it, named after it."""
    return database.with_name(database.name + LEDGER_SUFFIX)


@contextmanager
def _locked_ledger(database: Path) -> Iterator[int]:
    """An fd of `database`'s ledger under an exclusive flock. A rewrite replaces the file
    (rename) while holding the lock, so a writer that waited checks that its fd is still
    the file at the path and opens it again otherwise: no line is ever lost."""
    path = export_ledger(database)
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)
    try:
        yield fd
    finally:
        os.close(fd)  # releases the flock


def record_exports(database: Path, version: str | None, files: list[Path]) -> None:
    """Appends one line per file to `database`'s ledger (one write, under the lock)."""
    written_at = datetime.now(UTC).isoformat()
    lines = "".join(
        json.dumps({"file": str(path.resolve()), "version": version or UNVERSIONED,
                    "warehouse": str(database.resolve()), "written_at": written_at}) + "\n"
        for path in files
    )
    with _locked_ledger(database) as fd:
        os.write(fd, lines.encode("utf-8"))


def rewrite_ledger(database: Path, keep: Callable[[dict[str, Any]], bool]) -> int:
    """Keeps only the lines of `database`'s ledger that `keep` accepts, and of those only
    the last per file (an earlier write of a file says nothing any more); the ledger is
    replaced whole (fsynced, renamed) under its lock. Returns the lines dropped."""
    path = export_ledger(database)
    if not path.exists():
        return 0
    with _locked_ledger(database):
        entries = read_ledger(path)
        last: dict[str, dict[str, Any]] = {}
        for entry in sorted(entries, key=lambda item: item.get("written_at", "")):
            last[entry["file"]] = entry
        kept = [entry for entry in last.values() if keep(entry)]
        if len(kept) == len(entries):
            return 0
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, "".join(json.dumps(entry) + "\n" for entry in kept).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    return len(entries) - len(kept)


def read_ledger(ledger: Path) -> list[dict[str, Any]]:
    """The entries of an export ledger (none when there is no ledger; a torn last line, of
    an export killed while writing it, is skipped)."""
    if not ledger.exists():
        return []
    entries = []
    for line in ledger.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "file" in entry and "version" in entry:
            entries.append(entry)
    return entries
