"""Campaign exports: one file per segment for one channel, from the published warehouse.

    python -m segwh.export --channel sms   [--segment vip ...] [--out build/exports]
    python -m segwh.export --channel email
    python -m segwh.export --channel ads
    python -m segwh.export --channel all     (make export)

For every segment it writes `<out>/<channel>/<segment>.csv` and `.parquet` and prints the
row count of each file with the reasons customers were left out:

- sms:   customer_id, phone_e164 — only `sms_opt_in` members with a phone number that
         normalizes to E.164 (`+` and 8-15 digits);
- email: customer_id, email — only `email_opt_in` members with a well-formed address;
- ads:   email_sha256, phone_sha256 — SHA-256 hex digests only (no id, no raw contact):
         the trimmed, lower-cased e-mail of `email_opt_in` members and the E.164 phone
         (without '+') of `sms_opt_in` members; a row needs at least one of the two.

Every Parquet file carries, in its schema metadata, how the warehouse it came from reads
(intermediate.int_as_of_resolved, also shown to BI as the mart reporting_context):
`reporting_currency` (the currency of every amount), `shop_timezone` (the zone of its
calendar days), `as_of` (UTC) and `warehouse_version`. The lists hold no amounts themselves.

Membership and consent come from `segments.<segment>`; e-mail and phone come only from
the restricted relation `staging.stg_shop__customers` (the BI marts hold no contact data
and are never read here); calling codes from `reference.country_calling_codes`. The
warehouse is opened read-only, so an export can run while BI reads and a refresh builds.
Phone normalization: see segwh/export/contacts.py.

Every written file is recorded in `<warehouse>.exports.jsonl` beside the warehouse file it
came from, with that file's published version (segwh.core.versions); the Parquet files
also carry it as `warehouse_version`. A refresh that erases a customer removes the export
files written from the kept versions that held them (docs/refresh.md, "Erasure").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from segwh.core.paths import warehouse_path
from segwh.export.lists import (
    CALLING_CODES_RELATION,
    CHANNELS,
    CONTACT_RELATION,
    DEFAULT_OUT,
    FORMATS,
    export,
)
from segwh.preflight import WarehouseUnusable, check_relations, connect_read_only, first_line
from segwh.segments import SEGMENTS  # the registry: macros/segment_flags.sql


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m segwh.export",
        description=(
            "Write one campaign file per segment (CSV and Parquet) for a channel. SMS lists "
            "hold sms_opt_in members with an E.164 phone, e-mail lists email_opt_in members "
            "with a valid address, ad-platform lists only SHA-256 hashes. Contact data is read "
            f"from the restricted relation {CONTACT_RELATION}, never from the BI marts."
        ),
        epilog=(
            "Exit codes: 0 written; 1 a file could not be written (e.g. a full disk); 2 no "
            "warehouse, or one without the relations the export reads (a build that failed "
            "or has not finished, a view that does not answer): build it again; 3 another "
            "process (e.g. `make build`) is writing the warehouse: retry when it has finished."
        ),
    )
    parser.add_argument(
        "--channel",
        required=True,
        choices=(*CHANNELS, "all"),
        help="the campaign channel (all = sms, email and ads)",
    )
    parser.add_argument(
        "--segment",
        action="append",
        choices=SEGMENTS,
        help="a segment to export (repeat for several; default: every segment)",
    )
    parser.add_argument(
        "--duckdb",
        type=Path,
        default=warehouse_path(),
        help="the warehouse file, opened read-only (default: $DUCKDB_PATH or "
        "build/warehouse.duckdb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output folder; files go to <out>/<channel>/<segment>.<format> "
        f"(default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        help="file format (repeat for several; default: csv and parquet)",
    )
    return parser.parse_args(argv)


def export_relations(segments: Sequence[str]) -> list[str]:
    """Every relation an export of `segments` reads."""
    return [*(f"segments.{segment}" for segment in segments), CONTACT_RELATION,
            CALLING_CODES_RELATION]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    segments = args.segment or SEGMENTS
    try:  # one line, before any file is written, when the warehouse cannot be read
        with connect_read_only(args.duckdb) as con:
            check_relations(con, export_relations(segments), args.duckdb)
    except WarehouseUnusable as error:
        print(f"export failed: {error.message}", file=sys.stderr)
        return error.code
    channels = CHANNELS if args.channel == "all" else (args.channel,)
    try:
        for channel in channels:
            results = export(
                args.duckdb,
                channel,
                segments=segments,
                out_dir=args.out,
                formats=args.format or FORMATS,
            )
            for result in results:
                print(result.line())
            total = sum(result.rows for result in results)
            folder = args.out / channel
            print(f"{channel}: {len(results)} segments, {total} rows in all, in {folder}")
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"export failed: cannot write{where}: {error.strerror or error} (files written "
              "before it are complete; free space or fix the permissions of --out and rerun)",
              file=sys.stderr)
        return 1
    except duckdb.Error as error:
        print(f"export failed: reading {args.duckdb}: {first_line(error)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
