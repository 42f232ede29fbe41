"""Erasure on request, beyond the published file: after a publish, every kept version that
still holds an erased customer is removed, and so is every export file written from one.

The new build lists the erased customers in ``staging.stg_shop__erasures`` (one column,
``customer_id_hash``: the SHA-256 hex digest of the trimmed customer id; the models remove
the customers themselves from every layer of the build). A kept version holds a customer
when any of its tables has the customer's id in a ``customer_id`` column (staging, base
and quarantine tables included). Such a version is removed whole: DuckDB keeps deleted
rows in the free blocks of a file until they are overwritten, so deleting the customer's
rows from a kept file would not erase them (docs/refresh.md, "Erasure").

Export files are found through the export ledgers (segwh.core.versions): the ledger beside
the published file and those beside the removed versions. A file whose last recorded write
came from a removed version, or from one that can no longer be examined (pruned by --keep
earlier), is deleted, with its ledger lines.

The list stays in the raw data, so each refresh reads it again; the hashes already carried
out are kept in ``<name>.erasures-applied`` (hashes only), and only a list that names a new
customer makes a refresh search the kept versions and the exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from segwh.core.versions import (
    UNVERSIONED,
    export_ledger,
    published_version,
    read_ledger,
    rewrite_ledger,
)
from segwh.refresh import files

ERASURES_RELATION = ("staging", "stg_shop__erasures")
ID_COLUMN = "customer_id"


@dataclass
class ErasureOutcome:
    erased_customers: int = 0
    new_requests: int = 0
    removed_versions: list[str] = field(default_factory=list)
    removed_exports: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "erased_customers": self.erased_customers,
            "new_requests": self.new_requests,
            "removed_versions": self.removed_versions,
            "removed_exports": self.removed_exports,
        }

    def line(self) -> str:
        versions = f" ({', '.join(self.removed_versions)})" if self.removed_versions else ""
        return (
            f"erasure: customers erased {self.erased_customers} ({self.new_requests} new), "
            f"kept versions removed "
            f"{len(self.removed_versions)}{versions}, export files removed "
            f"{len(self.removed_exports)}"
        )


def erased_hashes(database: Path) -> list[str]:
    """The customer_id_hash values of `database` (none when it has no erasure list)."""
    schema, name = ERASURES_RELATION
    with duckdb.connect(str(database), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_catalog = "
            "current_database() and table_schema = ? and table_name = ?", [schema, name]
        ).fetchone()[0]
        if not found:
            return []
        rows = con.execute(
            f'select distinct lower(customer_id_hash) from "{schema}"."{name}" '
            "where customer_id_hash is not null"
        ).fetchall()
    return sorted(row[0] for row in rows)


def holds_any(database: Path, hashes: list[str]) -> bool:
    """Whether a table of `database` has one of the customers in a customer_id column."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            "select columns.table_schema, columns.table_name "
            "from information_schema.columns as columns "
            "inner join information_schema.tables as tables "
            "on columns.table_catalog = tables.table_catalog "
            "and columns.table_schema = tables.table_schema "
            "and columns.table_name = tables.table_name "
            "where tables.table_catalog = current_database() "
            "and tables.table_type = 'BASE TABLE' and lower(columns.column_name) = ?",
            [ID_COLUMN],
        ).fetchall()
        if not tables:
            return False
        ids = " union ".join(
            f'select cast("{ID_COLUMN}" as varchar) as customer_id from "{schema}"."{name}"'
            for schema, name in tables
        )
        found = con.execute(
            f"select count(*) from ({ids}) as ids "
            "where sha256(trim(ids.customer_id)) in (select unnest(?))",
            [hashes],
        ).fetchone()[0]
    return found > 0


def remove_exports(published: Path, removed: set[str], examinable: set[str]) -> list[str]:
    """Deletes the export files whose last recorded write came from a removed version, or
    from a version that can no longer be examined (pruned by --keep before this erasure
    arrived), and their ledger lines; returns the deleted paths."""
    def unsafe(entry: dict) -> bool:
        return entry["version"] in removed or entry["version"] not in examinable

    ledgers = [export_ledger(files.version_file(published, v)) for v in sorted(removed)]
    entries = [entry for ledger in ledgers for entry in read_ledger(ledger)]
    entries += read_ledger(export_ledger(published))
    last_write: dict[str, dict] = {}
    for entry in sorted(entries, key=lambda item: item.get("written_at", "")):
        last_write[entry["file"]] = entry
    deleted = []
    for path, entry in sorted(last_write.items()):
        if unsafe(entry) and Path(path).exists():
            Path(path).unlink()
            deleted.append(path)
    rewrite_ledger(published, lambda entry: not unsafe(entry))
    for ledger in ledgers:
        ledger.unlink(missing_ok=True)
    return deleted


def read_applied(path: Path) -> set[str]:
    """The customer hashes whose erasure earlier refreshes already carried out."""
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line}


def erase_from_kept_versions(published: Path) -> ErasureOutcome:
    """Removes the kept versions of `published` that hold a customer its erasure list
    names, and the export files written from them, when the list names a customer no
    earlier refresh erased (the list stays in the raw data: each request is carried out
    once, by the first refresh that publishes after it)."""
    outcome = ErasureOutcome()
    hashes = erased_hashes(published)
    applied_path = files.Layout(published).erasures_applied
    new = sorted(set(hashes) - read_applied(applied_path))
    outcome.erased_customers, outcome.new_requests = len(hashes), len(new)
    if not new:
        return outcome
    kept = files.list_versions(published)
    for version in kept:
        if holds_any(files.version_file(published, version), hashes):
            outcome.removed_versions.append(version)
    for version in outcome.removed_versions:
        files.version_file(published, version).unlink(missing_ok=True)
    if outcome.removed_versions:
        files.fsync(files.versions_dir(published))
    examinable = {*kept, published_version(published) or UNVERSIONED}
    outcome.removed_exports = remove_exports(
        published, set(outcome.removed_versions), examinable
    )
    files.write_atomically(applied_path, "".join(f"{value}\n" for value in hashes))
    return outcome
