"""The campaign lists: who of a segment may be contacted on a channel, and with what.

Membership and consent come from ``segments.<segment>``; e-mail and phone only from the
restricted relation ``staging.stg_shop__customers`` (the BI marts hold no contact data and
are never read here); calling codes from ``reference.country_calling_codes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from segwh.core.versions import record_exports, version_in
from segwh.export.contacts import normalize_email, normalize_phone, sha256_hex
from segwh.export.files import write_table
from segwh.segments import SEGMENTS  # the registry: macros/segment_flags.sql

CHANNELS: tuple[str, ...] = ("sms", "email", "ads")
FORMATS: tuple[str, ...] = ("csv", "parquet")
CONTACT_RELATION = "staging.stg_shop__customers"
CALLING_CODES_RELATION = "reference.country_calling_codes"
CONTEXT_RELATION = "intermediate.int_as_of_resolved"
DEFAULT_OUT = Path("build") / "exports"
SMS_SCHEMA = pa.schema([("customer_id", pa.string()), ("phone_e164", pa.string())])
EMAIL_SCHEMA = pa.schema([("customer_id", pa.string()), ("email", pa.string())])
ADS_SCHEMA = pa.schema([("email_sha256", pa.string()), ("phone_sha256", pa.string())])


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

    Contact data is joined from the restricted staging relation only; `email` is null
    unless the warehouse found the address well-formed.
    """
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}")
    sql = f"""
        select
            members.customer_id,
            coalesce(members.sms_opt_in, false) as sms_opt_in,
            coalesce(members.email_opt_in, false) as email_opt_in,
            case when contacts.is_email_valid then contacts.email end as email,
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

    if channel in ("sms", "email"):
        ids, contacts = [], []
        for customer_id, sms_ok, email_ok, email, phone, calling_code in members:
            if channel == "sms":
                consented, contact = sms_ok, normalize_phone(phone, calling_code)
            else:
                consented, contact = email_ok, normalize_email(email)
            if not consented:
                drop(f"no {channel} consent")
            elif contact is None:
                drop("no normalized phone" if channel == "sms" else "no valid email")
            else:
                ids.append(customer_id)
                contacts.append(contact)
        schema = SMS_SCHEMA if channel == "sms" else EMAIL_SCHEMA
        table = pa.table({"customer_id": ids, schema.names[1]: contacts}, schema=schema)
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
        version = version_in(con)
        context = read_context(con)
        if version is not None:
            context["warehouse_version"] = version
        for segment in segments:
            members = read_members(con, segment)
            table, dropped = build_rows(channel, members)
            stem = out_dir / channel / segment
            # recorded before writing: a file an erasure must find is never untraceable
            record_exports(duckdb_path, version, [stem.with_suffix(f".{fmt}") for fmt in formats])
            files = write_table(table, stem, formats, context)
            results.append(
                ExportResult(channel, segment, len(members), table.num_rows, files, dropped)
            )
    return results
