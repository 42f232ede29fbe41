"""Acceptance test: the small dirty fixture built in raw_path mode at as_of 2025-07-01.

The warehouse is built once per session (fixture `acceptance_db` in conftest.py); every
test here reads it through a read-only DuckDB connection.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import (
    FIXTURE_EXPECTED_DIR,
    FIXTURE_RAW_DIR,
    RAW_TABLES,
    SEGMENTS,
    count_csv_data_rows,
    describe_set_difference,
    expected_members,
    read_csv_file,
    segment_members,
)

REASON_CODES = {
    "missing_required",
    "unparseable",
    "out_of_range",
    "invalid_value",
    "unknown_customer",
    "unknown_order",
    "unknown_product",
}
BI_SCHEMAS = ("segments", "marts")

_METRICS_HEADER, _METRICS_ROWS = read_csv_file(FIXTURE_EXPECTED_DIR / "customer_metrics.csv")
METRIC_COLUMNS = [name for name in _METRICS_HEADER if name != "customer_id"]


def _expected_metric(column: str) -> dict[str, str]:
    index = _METRICS_HEADER.index(column)
    key = _METRICS_HEADER.index("customer_id")
    return {row[key]: row[index] for row in _METRICS_ROWS}


def _normalize(value: object) -> object:
    """A metric value comparable across the CSV text and DuckDB: cents for decimals."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return Decimal(text).quantize(Decimal("0.01"))


# --- segments --------------------------------------------------------------------------


@pytest.mark.parametrize("segment", SEGMENTS)
def test_segment_members_match_expected(acceptance_con, segment):
    actual = segment_members(acceptance_con, segment)
    expected = expected_members(segment)
    assert sorted(set(actual)) == expected, (
        f"segments.{segment}: {describe_set_difference(actual, expected)}"
    )


@pytest.mark.parametrize("segment", SEGMENTS)
def test_segment_customer_id_unique_and_not_null(acceptance_con, segment):
    total, distinct, nulls = acceptance_con.execute(
        f"select count(*), count(distinct customer_id), count(*) - count(customer_id) "
        f"from segments.{segment}"
    ).fetchone()
    assert nulls == 0, f"segments.{segment} has {nulls} null customer_id"
    assert total == distinct, f"segments.{segment}: {total} rows but {distinct} distinct ids"


def test_segment_summary_member_counts(acceptance_con):
    summary = dict(
        acceptance_con.execute("select segment, member_count from marts.segment_summary").fetchall()
    )
    assert set(summary) == set(SEGMENTS), f"segment_summary segments: {sorted(summary)}"
    for segment in SEGMENTS:
        (rows,) = acceptance_con.execute(f"select count(*) from segments.{segment}").fetchone()
        assert summary[segment] == rows, (
            f"segment_summary.member_count for {segment} is {summary[segment]}, "
            f"segments.{segment} has {rows} rows"
        )


# --- customer metrics ------------------------------------------------------------------


def test_customer_profile_population(acceptance_con):
    rows = acceptance_con.execute("select customer_id from marts.customer_profile").fetchall()
    actual = [row[0] for row in rows]
    expected = list(_expected_metric(METRIC_COLUMNS[0]))
    assert len(actual) == len(set(actual)), "customer_profile has duplicate customer_id"
    assert set(actual) == set(expected), (
        f"customer_profile population: {describe_set_difference(actual, expected)}"
    )


@pytest.mark.parametrize("column", METRIC_COLUMNS)
def test_customer_metric_matches_expected(acceptance_con, column):
    expected = {key: _normalize(value) for key, value in _expected_metric(column).items()}
    actual = {
        key: _normalize(value)
        for key, value in acceptance_con.execute(
            f"select customer_id, {column} from marts.customer_profile"
        ).fetchall()
    }
    assert set(actual) == set(expected), describe_set_difference(actual, expected)
    wrong = sorted(
        (key, expected[key], actual[key]) for key in expected if actual[key] != expected[key]
    )
    assert not wrong, (
        f"{column}: {len(wrong)} customers differ (customer, expected, actual), first: {wrong[:10]}"
    )


# --- quarantine ------------------------------------------------------------------------


def test_quarantine_reconciliation_balances(acceptance_con):
    rows = acceptance_con.execute(
        "select source_table, raw_rows, clean_rows, quarantined_rows, merged_duplicate_rows "
        "from quarantine.quarantine_reconciliation"
    ).fetchall()
    by_table = {row[0]: row[1:] for row in rows}
    assert len(rows) == len(by_table), f"duplicate source_table in reconciliation: {rows}"
    assert set(by_table) == set(RAW_TABLES)
    for table in RAW_TABLES:
        raw_rows, clean_rows, quarantined_rows, merged = by_table[table]
        assert raw_rows == clean_rows + quarantined_rows + merged, (
            f"{table}: raw {raw_rows} != clean {clean_rows} + quarantined {quarantined_rows} "
            f"+ merged {merged}"
        )
        file_rows = count_csv_data_rows(FIXTURE_RAW_DIR / f"{table}.csv")
        assert raw_rows == file_rows, f"{table}: raw_rows {raw_rows}, {table}.csv has {file_rows}"


def test_quarantine_matches_quarantined_rows(acceptance_con):
    """The reconciliation's quarantined_rows are the rows of quarantine.quarantined_rows."""
    mismatches = acceptance_con.execute(
        """
        select r.source_table, r.quarantined_rows, coalesce(q.n, 0)
        from quarantine.quarantine_reconciliation as r
        left join (
            select source_table, count(*) as n from quarantine.quarantined_rows group by 1
        ) as q on q.source_table = r.source_table
        where r.quarantined_rows <> coalesce(q.n, 0)
        """
    ).fetchall()
    assert not mismatches, mismatches


def test_quarantine_reason_codes(acceptance_con):
    rows = acceptance_con.execute(
        "select source_table, record_key, reason_code from quarantine.quarantined_rows"
    ).fetchall()
    assert rows, "the fixture is dirty: quarantine.quarantined_rows must not be empty"
    bad = [row for row in rows if row[2] not in REASON_CODES]
    assert not bad, f"{len(bad)} quarantined rows with an unknown reason code: {bad[:10]}"
    unknown_tables = {row[0] for row in rows} - set(RAW_TABLES)
    assert not unknown_tables, f"quarantined rows of unknown tables: {unknown_tables}"


# --- privacy ---------------------------------------------------------------------------


def _fixture_phones() -> list[str]:
    header, rows = read_csv_file(FIXTURE_RAW_DIR / "customers.csv")
    index = header.index("phone")
    return sorted({row[index].strip() for row in rows if row[index].strip()})


def test_fixture_has_phones_and_emails():
    """Guards the privacy test below against a fixture without contact data."""
    header, rows = read_csv_file(FIXTURE_RAW_DIR / "customers.csv")
    emails = [row[header.index("email")] for row in rows if "@" in row[header.index("email")]]
    assert len(emails) > 100
    assert len(_fixture_phones()) > 100


def _bi_relations(con) -> list[tuple[str, str]]:
    placeholders = ", ".join(f"'{schema}'" for schema in BI_SCHEMAS)
    return con.execute(
        f"select table_schema, table_name from information_schema.tables "
        f"where table_schema in ({placeholders}) order by 1, 2"
    ).fetchall()


def test_bi_relations_hold_no_contact_data(acceptance_con):
    relations = _bi_relations(acceptance_con)
    names = {f"{schema}.{name}" for schema, name in relations}
    expected = {f"segments.{segment}" for segment in SEGMENTS} | {
        "marts.geographic_summary",
        "marts.customer_profile",
        "marts.segment_summary",
    }
    assert expected <= names, f"relations missing: {sorted(expected - names)}"

    phones = _fixture_phones()
    # The phone's digits alone (e.g. 15550010001) are the same personal data.
    phone_digits = sorted({d for d in (re.sub(r"\D", "", p) for p in phones) if len(d) >= 10})
    findings = []
    for schema, name in relations:
        cursor = acceptance_con.execute(f'select * from "{schema}"."{name}"')
        columns = [description[0] for description in cursor.description]
        for row in cursor.fetchall():
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = str(value)
                if "@" in text:
                    findings.append((f"{schema}.{name}.{column}", "e-mail", text))
                elif any(phone in text for phone in phones):
                    findings.append((f"{schema}.{name}.{column}", "phone", text))
                elif any(digits in text for digits in phone_digits):
                    findings.append((f"{schema}.{name}.{column}", "phone digits", text))
    assert not findings, f"{len(findings)} contact values in BI relations, first: {findings[:5]}"
