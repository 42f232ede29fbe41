"""A dbt-duckdb plugin (profiles.yml, output ``duckdb``): the SQL function
``segwh_csv_header(path, encoding)`` that the on-run-start hook prepare_raw_inputs calls
before it reads a raw CSV file.

DuckDB's CSV reader cannot tell a file that is not CSV at all (empty, binary, another
encoding) from one with a few bad lines, and stops with a long error of its own; this
function reads only the start of the file and answers, as JSON, either
``{"columns": [...]}`` (the header row's names, read as RFC 4180 by Python's csv module,
in the file's encoding; a UTF-8 byte-order mark is dropped) or ``{"problem": "..."}`` (a
short phrase the hook puts after the file's name).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb.sqltypes import VARCHAR

# var raw_encoding -> the Python codec (utf-8-sig: the same as utf-8, without a BOM)
CODECS = {"utf-8": "utf-8-sig", "latin-1": "latin-1", "utf-16": "utf-16"}
HEAD_BYTES = 1 << 16


def _problem(text: str) -> str:
    return json.dumps({"problem": text})


def csv_header(path: str, encoding: str) -> str:
    """The header of the CSV file `path` in `encoding` (a raw_encoding value), as JSON."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as error:
        return _problem(f"cannot be opened ({error.strerror})")
    if not head:
        return _problem("is empty (0 bytes): a CSV export has at least its header row")
    codec = CODECS.get(encoding, encoding)
    if codec == "utf-16" and head[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        codec = "utf-16-le"  # no byte-order mark: little-endian, as DuckDB reads it
    # invalid bytes after the header are the CSV reader's business (malformed lines)
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    text = decoder.decode(head, final=len(head) < HEAD_BYTES)
    first_line = text.splitlines()[0] if text else ""
    if "\ufffd" in first_line or any(ord(char) < 32 and char != "\t" for char in first_line):
        return _problem(
            f"is not a comma-separated CSV file in {encoding} (var raw_encoding): its first "
            f"line does not decode as {encoding} text (a binary file, or another encoding?)"
        )
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        header = [first_line]
    return json.dumps({"columns": header})


class Plugin(BasePlugin):
    """Registers segwh_csv_header on every DuckDB connection dbt opens."""

    def configure_connection(self, conn: Any) -> None:
        conn.create_function(
            "segwh_csv_header", csv_header, [VARCHAR, VARCHAR], VARCHAR, side_effects=True
        )
