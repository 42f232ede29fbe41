"""Writing an export file: whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq


def write_table(
    table: pa.Table,
    stem: Path,
    formats: Sequence[str],
    metadata: dict[str, str] | None = None,
) -> list[Path]:
    """Writes `table` as `<stem>.<format>` for each format, atomically; returns the paths.
    `metadata` goes into the Parquet schema metadata."""
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        target = stem.with_suffix(f".{fmt}")
        partial = target.with_name(f".{target.name}.partial")
        if fmt == "csv":
            pa_csv.write_csv(table, partial)
        elif fmt == "parquet":
            pq.write_table(table, partial)
        else:
            raise ValueError(f"unknown format {fmt!r}")
        os.replace(partial, target)
        written.append(target)
    return written
