"""The audit before publish (and before a rollback): every table and view of a file must
answer from a fresh read-only connection, as BI opens the published file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from segwh.refresh.outcome import EXIT_AUDIT_FAILED, RefreshFailed


def audit(database: Path, what: str, summary: dict[str, Any] | None = None) -> None:
    """Raises RefreshFailed (exit 9) naming the first relation of `database` that does not
    answer (a view naming a catalog the file does not have does not)."""
    checked, failures = unanswered_relations(database)
    if summary is not None:
        summary["audit"] = {"relations": checked, "failures": failures}
    if failures:
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RefreshFailed(
            EXIT_AUDIT_FAILED,
            f"audit failed: {what} does not answer from a read-only connection: "
            f"{failures[0]}{more}",
        )


def relation_row_counts(con: duckdb.DuckDBPyConnection, relations: list[str]) -> dict[str, int]:
    """Row counts of the relations that exist in the database behind `con`."""
    existing = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    return {
        relation: con.execute(f"select count(*) from {relation}").fetchone()[0]
        for relation in relations
        if relation in existing
    }


def unanswered_relations(database: Path) -> tuple[int, list[str]]:
    """Reads a row of every table and view of `database` on a fresh read-only connection,
    as BI opens the published file. Returns (relations read, one line per relation that
    does not answer). A view that names a catalog the file does not have (dbt-duckdb writes
    the build file's catalog into every view) fails here, not in BI."""
    failures = []
    with duckdb.connect(str(database), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2"
        ).fetchall()
        for schema, name in relations:
            quoted = ".".join('"' + part.replace('"', '""') + '"' for part in (schema, name))
            try:
                con.execute(f"select * from {quoted} limit 1").fetchall()
            except duckdb.Error as error:
                message = next((line for line in str(error).splitlines() if line.strip()), "")
                failures.append(f"{schema}.{name}: {message}")
    return len(relations), failures
