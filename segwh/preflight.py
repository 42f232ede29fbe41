"""Opens the warehouse a tool reads read-only, or says in one line why it cannot: there is
no file, a build is writing it, a build did not finish, or a view does not answer.

    python -m segwh.preflight metrics [--duckdb PATH] [--semantic-manifest PATH] [--open-only]

`make metrics` runs it with --open-only before `dbt parse` (no warehouse, or one being
written: say so at once), then again after the parse and before `mf query` (which would
otherwise create an empty file where the warehouse is missing, and answer with a stack
trace): every relation the semantic manifest's semantic models and time spines read must
answer. The export (segwh/export/) runs the same checks on the relations it reads.

Exit codes: 0 usable; 2 missing, half-built or broken (build it again); 3 another process
is writing the file (retry when it has finished).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from segwh.core.paths import warehouse_path

EXIT_OK = 0
EXIT_UNUSABLE = 2
EXIT_BUSY = 3
LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")
REBUILD = "run `make build` (or `make refresh`)"


class WarehouseUnusable(Exception):
    """The warehouse cannot be read; `message` is one line that says what to do."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `path`, never creating the file."""
    if not path.exists():
        raise WarehouseUnusable(
            EXIT_UNUSABLE,
            f"no warehouse at {path}: {REBUILD} first, or point DUCKDB_PATH at the "
            "published warehouse file",
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise WarehouseUnusable(
                EXIT_UNUSABLE, f"cannot open {path}: {first_line(error)}"
            ) from None
        holder = LOCK_HOLDER.search(str(error))
        who = f" (pid {holder.group(1)})" if holder else ""
        raise WarehouseUnusable(
            EXIT_BUSY,
            f"{path} is being written by another process{who}, e.g. `make build`: retry "
            "when it has finished (the file `make refresh` publishes is never held for "
            "writing)",
        ) from None
    except duckdb.Error as error:
        raise WarehouseUnusable(
            EXIT_UNUSABLE, f"cannot open {path} as a DuckDB warehouse: {first_line(error)}"
        ) from None


def check_relations(con: duckdb.DuckDBPyConnection, relations: Sequence[str], path: Path) -> None:
    """Each `<schema>.<name>` must exist in the file behind `con` and answer a query."""
    existing = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
    }
    for relation in relations:
        if relation not in existing:
            raise WarehouseUnusable(
                EXIT_UNUSABLE,
                f"{path} has no {relation} (a build that failed or has not finished?): "
                f"{REBUILD}",
            )
        try:
            con.execute(f"select * from {relation} limit 0").fetchall()
        except duckdb.Error as error:
            raise WarehouseUnusable(
                EXIT_UNUSABLE,
                f"{relation} in {path} does not answer ({first_line(error)}): {REBUILD}",
            ) from None


def semantic_relations(manifest_path: Path) -> list[str]:
    """`<schema>.<name>` of every relation the semantic manifest's models read."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise WarehouseUnusable(
            EXIT_UNUSABLE, f"cannot read the semantic manifest {manifest_path} ({error}): "
            "run `dbt parse`"
        ) from None
    nodes = [model["node_relation"] for model in manifest.get("semantic_models", [])]
    configuration = manifest.get("project_configuration", {})
    nodes += [spine["node_relation"] for spine in configuration.get("time_spines", [])]
    return sorted({f"{node['schema_name']}.{node['alias']}" for node in nodes})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m segwh.preflight",
        description="Check that a tool can read the warehouse; one line and exit 2 or 3 "
        "when it cannot.",
    )
    parser.add_argument("tool", choices=["metrics"], help="the tool about to read it")
    parser.add_argument(
        "--duckdb",
        type=Path,
        default=warehouse_path(),
        help="the warehouse file (default: $DUCKDB_PATH or build/warehouse.duckdb)",
    )
    parser.add_argument(
        "--semantic-manifest",
        type=Path,
        default=Path(os.environ.get("DBT_PROJECT_DIR", ".")) / "target" / "semantic_manifest.json",
        help="written by `dbt parse` (default: $DBT_PROJECT_DIR/target/semantic_manifest.json)",
    )
    parser.add_argument(
        "--open-only",
        action="store_true",
        help="only check that the file exists and opens read-only (before `dbt parse`)",
    )
    args = parser.parse_args(argv)
    try:
        with connect_read_only(args.duckdb) as con:
            if not args.open_only:
                check_relations(con, semantic_relations(args.semantic_manifest), args.duckdb)
    except WarehouseUnusable as error:
        print(f"{args.tool}: {error.message}", file=sys.stderr)
        return error.code
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
