"""Where generated rows go: one CSV (RFC 4180, every value text) or Parquet file per table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


class CsvSink:
    """Appends tables to ``<table>.csv``: header once, fields quoted only when needed."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.f = path.open("wb")
        self.f.write((",".join(schema.names) + "\n").encode())

    @staticmethod
    def _field(col: pa.Array) -> pa.Array:
        need = pc.match_substring_regex(col, r'[,"\r\n]')
        quoted = pc.binary_join_element_wise(
            '"', pc.replace_substring(col, '"', '""'), '"', "")
        return pc.if_else(pc.fill_null(need, False), quoted, col)

    @classmethod
    def encode(cls, t: pa.Table) -> pa.Array:
        """One CSV line per row (``\\n`` ended); slices of it can be written with write_encoded."""
        cols = [cls._field(t.column(i).combine_chunks()) for i in range(t.num_columns)]
        line = pc.binary_join_element_wise(*cols, ",", null_handling="replace",
                                           null_replacement="")
        line = pc.binary_join_element_wise(line, "", "\n")
        return line.combine_chunks() if isinstance(line, pa.ChunkedArray) else line

    def write(self, t: pa.Table) -> None:
        if t.num_rows:
            self.write_encoded(self.encode(t))

    def write_encoded(self, arr: pa.Array) -> None:
        if not len(arr):
            return
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[
            arr.offset: arr.offset + len(arr) + 1]
        data = arr.buffers()[2]
        self.f.write(memoryview(data)[int(offsets[0]): int(offsets[-1])])

    def close(self) -> None:
        self.f.close()


class ParquetSink:
    """Appends tables to ``<table>.parquet`` (snappy), every column a string."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.schema = schema
        self.w = pq.ParquetWriter(path, schema, compression="snappy")

    @staticmethod
    def encode(t: pa.Table) -> pa.Table:
        return t

    def write(self, t: pa.Table) -> None:
        if t.num_rows:
            self.w.write_table(t.cast(self.schema))

    write_encoded = write

    def close(self) -> None:
        self.w.close()
