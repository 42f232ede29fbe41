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
calendar days) and `as_of` (UTC). The lists hold no amounts themselves.

Membership and consent come from `segments.<segment>`; e-mail and phone come only from
the restricted relation `staging.stg_shop__customers` (the BI marts hold no contact data
and are never read here); calling codes from `reference.country_calling_codes`. The
warehouse is opened read-only, so an export can run while BI reads and a refresh builds.

Phone normalization (E.164): the number's digits, then
  - written with a leading '+' or '00': international already, kept as '+' + digits;
  - otherwise the customer's country must have a calling code: a national number with a
    leading 0 (trunk prefix) loses it, and the calling code is put in front;
  - unknown country and no leading '+': dropped ("no normalized phone"), as is anything
    that is not '+' followed by 8 to 15 digits starting with 1-9.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from segwh.preflight import WarehouseUnusable, check_relations, connect_read_only, first_line
from segwh.segments import SEGMENTS  # the registry: macros/segment_flags.sql

CHANNELS: tuple[str, ...] = ("sms", "email", "ads")
FORMATS: tuple[str, ...] = ("csv", "parquet")
CONTACT_RELATION = "staging.stg_shop__customers"
CALLING_CODES_RELATION = "reference.country_calling_codes"
E164_PATTERN = re.compile(r"^\+[1-9][0-9]{7,14}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
DEFAULT_OUT = Path("build") / "exports"


def normalize_phone(raw: str | None, calling_code: str | None) -> str | None:
    """The E.164 form of `raw` (`+<digits>`), or None when it cannot be made safely."""
    if raw is None:
        return None
    text = raw.strip()
    digits = re.sub(r"[^0-9]", "", text)
    if not digits:
        return None
    if text.startswith("+"):
        candidate = "+" + digits
    elif text.startswith("00"):
        candidate = "+" + digits[2:]
    elif calling_code:
        national = digits[1:] if digits.startswith("0") else digits
        candidate = "+" + calling_code + national
    else:
        return None
    return candidate if E164_PATTERN.match(candidate) else None


def normalize_email(raw: str | None) -> str | None:
    """Trimmed, lower-cased e-mail when it has the shape name@domain.tld, else None."""
    if raw is None:
        return None
    text = raw.strip().lower()
    return text if EMAIL_PATTERN.match(text) else None


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass
class ExportResult:
    """What one segment's export for one channel wrote, and who was left out and why."""

    channel: str
    segment: str
    members: int
    rows: int
    files: list[Path] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        reasons = ", ".join(f"{reason} {count}" for reason, count in self.dropped.items())
        names = " ".join(str(path) for path in self.files)
        return (
            f"{self.channel}/{self.segment}: {self.rows} rows of {self.members} members"
            f" (left out: {reasons or 'none'}) -> {names}"
        )


def read_members(con: duckdb.DuckDBPyConnection, segment: str) -> list[tuple]:
    """(customer_id, sms_opt_in, email_opt_in, email, phone, calling_code) per member.

    Contact data is joined from the restricted staging relation only.
    """
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}")
    sql = f"""
        select
            members.customer_id,
            coalesce(members.sms_opt_in, false) as sms_opt_in,
            coalesce(members.email_opt_in, false) as email_opt_in,
            contacts.email,
            contacts.phone,
            codes.calling_code
        from segments.{segment} as members
        left join {CONTACT_RELATION} as contacts
            on members.customer_id = contacts.customer_id
        left join {CALLING_CODES_RELATION} as codes
            on contacts.country_code = codes.country_code
        order by members.customer_id
    """
    return con.execute(sql).fetchall()


def build_rows(channel: str, members: list[tuple]) -> tuple[pa.Table, dict[str, int]]:
    """The export table for `channel` and the counts of members left out, by reason."""
    dropped: dict[str, int] = {}

    def drop(reason: str) -> None:
        dropped[reason] = dropped.get(reason, 0) + 1

    if channel == "sms":
        ids, phones = [], []
        for customer_id, sms_ok, _email_ok, _email, phone, calling_code in members:
            if not sms_ok:
                drop("no sms consent")
                continue
            e164 = normalize_phone(phone, calling_code)
            if e164 is None:
                drop("no normalized phone")
                continue
            ids.append(customer_id)
            phones.append(e164)
        table = pa.table({"customer_id": ids, "phone_e164": phones}, schema=SMS_SCHEMA)
    elif channel == "email":
        ids, emails = [], []
        for customer_id, _sms_ok, email_ok, email, _phone, _calling_code in members:
            if not email_ok:
                drop("no email consent")
                continue
            address = normalize_email(email)
            if address is None:
                drop("no valid email")
                continue
            ids.append(customer_id)
            emails.append(address)
        table = pa.table({"customer_id": ids, "email": emails}, schema=EMAIL_SCHEMA)
    elif channel == "ads":
        email_hashes: list[str | None] = []
        phone_hashes: list[str | None] = []
        for _customer_id, sms_ok, email_ok, email, phone, calling_code in members:
            address = normalize_email(email) if email_ok else None
            e164 = normalize_phone(phone, calling_code) if sms_ok else None
            if address is None and e164 is None:
                drop("no consent with a usable email or phone")
                continue
            email_hashes.append(sha256_hex(address) if address else None)
            phone_hashes.append(sha256_hex(e164.lstrip("+")) if e164 else None)
        table = pa.table(
            {"email_sha256": email_hashes, "phone_sha256": phone_hashes}, schema=ADS_SCHEMA
        )
    else:
        raise ValueError(f"unknown channel {channel!r}")
    return table, dropped


SMS_SCHEMA = pa.schema([("customer_id", pa.string()), ("phone_e164", pa.string())])
EMAIL_SCHEMA = pa.schema([("customer_id", pa.string()), ("email", pa.string())])
ADS_SCHEMA = pa.schema([("email_sha256", pa.string()), ("phone_sha256", pa.string())])


CONTEXT_RELATION = "intermediate.int_as_of_resolved"


def read_context(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """reporting_currency, shop_timezone and as_of of the warehouse (empty when it is older
    than these columns)."""
    found = con.execute(
        "select count(*) from information_schema.columns where table_schema = 'intermediate' "
        "and table_name = 'int_as_of_resolved' and column_name = 'shop_timezone'"
    ).fetchone()
    if not found or not found[0]:
        return {}
    currency, zone, as_of = con.execute(
        f"select reporting_currency, shop_timezone, cast(as_of as varchar) from {CONTEXT_RELATION}"
    ).fetchone()
    return {"reporting_currency": currency, "shop_timezone": zone, "as_of": as_of}


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


def export(
    duckdb_path: Path,
    channel: str,
    segments: Sequence[str] = SEGMENTS,
    out_dir: Path = DEFAULT_OUT,
    formats: Sequence[str] = FORMATS,
) -> list[ExportResult]:
    """Exports every segment in `segments` for `channel`; returns what was written."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r} (one of {', '.join(CHANNELS)})")
    results = []
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        context = read_context(con)
        for segment in segments:
            members = read_members(con, segment)
            table, dropped = build_rows(channel, members)
            files = write_table(table, out_dir / channel / segment, formats, context)
            results.append(
                ExportResult(channel, segment, len(members), table.num_rows, files, dropped)
            )
    return results


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
        default=Path(os.environ.get("DUCKDB_PATH", "build/warehouse.duckdb")),
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
