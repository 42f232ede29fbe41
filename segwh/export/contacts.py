"""Contact data made fit for a campaign channel: phones in E.164, e-mail addresses as the
warehouse cleaned them, and the SHA-256 digests ad platforms match on.

Phone normalization (E.164): the number's digits, then
  - written with a leading '+' or '00': international already, kept as '+' + digits;
  - otherwise the customer's country must have a calling code: a national number with a
    leading 0 (trunk prefix) loses it, and the calling code is put in front;
  - unknown country and no leading '+': dropped ("no normalized phone"), as is anything
    that is not '+' followed by 8 to 15 digits starting with 1-9.

Whether an e-mail address is well-formed is the warehouse's verdict
(``staging.stg_shop__customers.is_email_valid``, one regular expression in the staging
model); the export does not judge it again.
"""

from __future__ import annotations

import hashlib
import re

E164_PATTERN = re.compile(r"^\+[1-9][0-9]{7,14}$")


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
    """The trimmed, lower-cased address (the form the warehouse hashes), or None."""
    if raw is None:
        return None
    text = raw.strip().lower()
    return text or None


def sha256_hex(value: str) -> str:
    """SHA-256 hex digest of `value` (UTF-8).

    The warehouse hashes in SQL (macro ``sha256_hex``: the customer profile's email_sha256);
    the export needs its own because the ad lists also hash the E.164 phone, which only the
    export makes (from the raw phone and the country's calling code). Both give the same
    digest of the same e-mail address (tests/python/test_export.py checks it).
    """
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
