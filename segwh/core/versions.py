"""Which published version a warehouse file is, and which export files were written from
it: read by the refresh (erasure, rollback, status), the export and the dashboard.

A refresh records each publish in the file it publishes (``refresh.publishes``); the
newest row is the file's version. A file that no refresh published (``make build``) has
none. Every export appends one line per written file to a ledger beside the warehouse file
it read, ``<name>.exports.jsonl``, so that the refresh can find and remove the export files
written from a version that an erasure removes.
"""

from __future__ import annotations

import json
import os
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


def record_exports(database: Path, version: str | None, files: list[Path]) -> None:
    """Appends one line per written file to `database`'s ledger (one write, O_APPEND)."""
    written_at = datetime.now(UTC).isoformat()
    lines = "".join(
        json.dumps({"file": str(path.resolve()), "version": version or UNVERSIONED,
                    "warehouse": str(database.resolve()), "written_at": written_at}) + "\n"
        for path in files
    )
    fd = os.open(export_ledger(database), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, lines.encode("utf-8"))
    finally:
        os.close(fd)


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
