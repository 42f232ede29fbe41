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
came from a removed version is deleted, with its ledger lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from segwh.core.versions import export_ledger, read_ledger
from segwh.refresh import files

ERASURES_RELATION = ("staging", "stg_shop__erasures")
ID_COLUMN = "customer_id"


@dataclass
class ErasureOutcome:
    erased_customers: int = 0
    removed_versions: list[str] = field(default_factory=list)
    removed_exports: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "erased_customers": self.erased_customers,
            "removed_versions": self.removed_versions,
            "removed_exports": self.removed_exports,
        }

    def line(self) -> str:
        versions = f" ({', '.join(self.removed_versions)})" if self.removed_versions else ""
        return (
            f"erasure: customers erased {self.erased_customers}, kept versions removed "
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


def remove_exports(published: Path, removed: list[str]) -> list[str]:
    """Deletes the export files whose last recorded write came from a removed version, and
    the ledger lines of those versions; returns the deleted paths."""
    gone = set(removed)
    ledgers = [export_ledger(files.version_file(published, v)) for v in removed]
    entries = [entry for ledger in ledgers for entry in read_ledger(ledger)]
    published_ledger = export_ledger(published)
    kept_entries = read_ledger(published_ledger)
    last_write: dict[str, dict] = {}
    for entry in sorted(entries + kept_entries, key=lambda item: item.get("written_at", "")):
        last_write[entry["file"]] = entry
    deleted = []
    for path, entry in sorted(last_write.items()):
        if entry["version"] in gone and Path(path).exists():
            Path(path).unlink()
            deleted.append(path)
    remaining = [entry for entry in kept_entries if entry["version"] not in gone]
    if len(remaining) != len(kept_entries):
        files.write_atomically(
            published_ledger, "".join(files.json_line(entry) for entry in remaining)
        )
    for ledger in ledgers:
        ledger.unlink(missing_ok=True)
    return deleted


def erase_from_kept_versions(published: Path) -> ErasureOutcome:
    """Removes the kept versions of `published` that hold a customer its erasure list
    names, and the export files written from them."""
    outcome = ErasureOutcome()
    hashes = erased_hashes(published)
    outcome.erased_customers = len(hashes)
    if not hashes:
        return outcome
    for version in files.list_versions(published):
        if holds_any(files.version_file(published, version), hashes):
            outcome.removed_versions.append(version)
    for version in outcome.removed_versions:
        files.version_file(published, version).unlink(missing_ok=True)
    if outcome.removed_versions:
        files.fsync(files.versions_dir(published))
    outcome.removed_exports = remove_exports(published, outcome.removed_versions)
    return outcome
