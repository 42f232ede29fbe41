"""Campaign exports (segwh/export/) on the acceptance warehouse (small-dirty fixture).

Only consented customers are exported, phones are E.164, ad files hold only SHA-256 hashes
of the trimmed, lower-cased e-mail, and contact data comes from the restricted staging
relation: the export still works on a copy of the warehouse whose marts schema is gone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from conftest import REPO_ROOT, SEGMENTS

from segwh import export
from segwh.core.versions import (
    UNVERSIONED,
    export_ledger,
    read_ledger,
    record_exports,
    rewrite_ledger,
)

E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def exported(acceptance_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every channel exported from the acceptance warehouse through the CLI."""
    out = tmp_path_factory.mktemp("exports")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "segwh.export",
            "--channel",
            "all",
            "--duckdb",
            str(acceptance_db),
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for channel in export.CHANNELS:
        for segment in SEGMENTS:
            assert f"{channel}/{segment}: " in result.stdout, result.stdout
    return out


def read_both(path_stem: Path) -> list[dict]:
    """Rows of <stem>.parquet, checked equal to <stem>.csv."""
    parquet_rows = pq.read_table(path_stem.with_suffix(".parquet")).to_pylist()
    csv_table = pa_csv.read_csv(
        path_stem.with_suffix(".csv"),
        convert_options=pa_csv.ConvertOptions(
            column_types={name: "string" for name in ("customer_id", "phone_e164", "email")},
            strings_can_be_null=True,
        ),
    )
    assert csv_table.to_pylist() == parquet_rows
    return parquet_rows


def consent(con: duckdb.DuckDBPyConnection, segment: str) -> dict[str, tuple[bool, bool]]:
    rows = con.execute(
        f"select customer_id, coalesce(sms_opt_in, false), coalesce(email_opt_in, false) "
        f"from segments.{segment}"
    ).fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}


def test_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "segwh.export", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--channel" in result.stdout and "stg_shop__customers" in result.stdout


def test_sms_lists_hold_only_consented_e164_numbers(exported: Path, acceptance_con) -> None:
    for segment in SEGMENTS:
        rows = read_both(exported / "sms" / segment)
        flags = consent(acceptance_con, segment)
        assert all(flags[row["customer_id"]][0] for row in rows), segment
        assert all(E164.match(row["phone_e164"]) for row in rows), segment
        assert len({row["customer_id"] for row in rows}) == len(rows)
    assert read_both(exported / "sms" / "geographic"), "no SMS recipient at all"


def test_email_lists_hold_only_consented_customers(exported: Path, acceptance_con) -> None:
    for segment in SEGMENTS:
        rows = read_both(exported / "email" / segment)
        flags = consent(acceptance_con, segment)
        assert all(flags[row["customer_id"]][1] for row in rows), segment
        assert all(row["email"] == row["email"].strip().lower() for row in rows)
        assert all("@" in row["email"] for row in rows)
    assert read_both(exported / "email" / "geographic"), "no e-mail recipient at all"


def test_ads_lists_hold_only_hashes(exported: Path, acceptance_con) -> None:
    """Only digests; the e-mail digest is the warehouse's own (macro sha256_hex, in
    marts.customer_profile.email_sha256) for every consented, well-formed address."""
    contacts = acceptance_con.execute(
        "select profiles.email_sha256, customers.phone, members.email_opt_in "
        "from segments.geographic as members "
        "inner join staging.stg_shop__customers as customers "
        "on members.customer_id = customers.customer_id "
        "inner join marts.customer_profile as profiles "
        "on members.customer_id = profiles.customer_id"
    ).fetchall()
    expected_hashes = {
        email_sha256 for email_sha256, _phone, opted_in in contacts if opted_in and email_sha256
    }
    assert expected_hashes, "no consented customer with a valid e-mail address"
    for segment in SEGMENTS:
        stem = exported / "ads" / segment
        assert pq.read_table(stem.with_suffix(".parquet")).column_names == [
            "email_sha256",
            "phone_sha256",
        ]
        text = stem.with_suffix(".csv").read_text(encoding="utf-8")
        assert "@" not in text
        for _email, phone, _opted_in in contacts:
            if phone:
                assert phone not in text
        rows = pq.read_table(stem.with_suffix(".parquet")).to_pylist()
        for row in rows:
            assert row["email_sha256"] or row["phone_sha256"]
            for value in row.values():
                assert value is None or HEX64.match(value)
    geographic = pq.read_table(exported / "ads" / "geographic.parquet").to_pylist()
    assert {row["email_sha256"] for row in geographic if row["email_sha256"]} == expected_hashes


def test_export_never_reads_the_bi_marts(acceptance_db: Path, tmp_path: Path) -> None:
    """Without schema marts the export still works: contacts come from staging only."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(acceptance_db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("drop schema marts cascade")
    results = export.export(copy, "sms", out_dir=tmp_path / "out", formats=["csv"])
    assert sum(result.rows for result in results) > 0
    for module in Path(export.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "marts." not in source.replace("never from the BI marts", ""), module


@pytest.mark.parametrize(
    ("raw", "calling_code", "expected"),
    [
        ("+1 (555) 001-0001", None, "+15550010001"),
        ("0049 30 1234567", None, "+49301234567"),
        ("030 1234567", "49", "+49301234567"),
        ("0912 345 6789", "98", "+989123456789"),
        ("555 010 0000", "1", "+15550100000"),
        ("030 1234567", None, None),
        ("12", "49", None),
        ("", "49", None),
        (None, "49", None),
        ("+0 123 456 789", None, None),
    ],
)
def test_normalize_phone(raw: str | None, calling_code: str | None, expected: str | None) -> None:
    assert export.normalize_phone(raw, calling_code) == expected


def test_unknown_country_phones_are_counted(acceptance_con) -> None:
    members = export.read_members(acceptance_con, "geographic")
    _table, dropped = export.build_rows("sms", members)
    no_phone = sum(
        1
        for _id, sms_ok, _email_ok, _email, phone, code in members
        if sms_ok and export.normalize_phone(phone, code) is None
    )
    assert dropped.get("no normalized phone", 0) == no_phone


def test_parquet_files_say_currency_zone_and_as_of(exported: Path, acceptance_con) -> None:
    """Every Parquet export carries the warehouse's reporting currency, shop time zone and
    as_of in its schema metadata (marts.reporting_context)."""
    currency, zone, as_of = acceptance_con.execute(
        "select reporting_currency, shop_timezone, cast(as_of as varchar) "
        "from marts.reporting_context"
    ).fetchone()
    files = sorted(exported.glob("*/*.parquet"))
    assert len(files) == len(export.CHANNELS) * len(SEGMENTS)
    for path in files:
        metadata = pq.read_schema(path).metadata or {}
        assert metadata.get(b"reporting_currency") == currency.encode(), path
        assert metadata.get(b"shop_timezone") == zone.encode(), path
        assert metadata.get(b"as_of") == as_of.encode(), path


def test_every_export_file_is_in_the_ledger_with_its_warehouse_version(
    exported: Path, acceptance_db: Path
) -> None:
    """The export records each file it writes beside the warehouse it read, so that an
    erasure can find it (a warehouse no refresh published has no version)."""
    entries = read_ledger(export_ledger(acceptance_db))
    written = {str(path.resolve()) for path in exported.rglob("*.*")}
    recorded = {entry["file"]: entry for entry in entries if entry["file"] in written}
    assert set(recorded) == written
    assert {entry["version"] for entry in recorded.values()} == {UNVERSIONED}
    assert {entry["warehouse"] for entry in recorded.values()} == {str(acceptance_db.resolve())}


def test_a_ledger_rewrite_keeps_the_last_write_of_each_file(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    record_exports(database, "20250101T000000000Z", [first, second])
    record_exports(database, "20250102T000000000Z", [first])
    dropped = rewrite_ledger(database, lambda entry: entry["file"] != str(second.resolve()))
    assert dropped == 2
    assert [(entry["file"], entry["version"]) for entry in read_ledger(export_ledger(database))] \
        == [(str(first.resolve()), "20250102T000000000Z")]
    record_exports(database, None, [second])  # appends to the rewritten ledger
    assert len(read_ledger(export_ledger(database))) == 2
