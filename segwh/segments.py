"""The segment registry for the Python side, read from the dbt project's one declaration.

``macros/segment_flags.sql`` lists every segment, in its documented order, as
(relation in schema ``segments``, boolean column of ``marts.customer_profile``). dbt cannot
read Python, so that macro is where the list lives; the exports, the benchmark, the planted
customers and the tests read it through this module instead of repeating it.
"""

from __future__ import annotations

import re
from pathlib import Path

from segwh.core.paths import REPO_ROOT

REGISTRY = REPO_ROOT / "macros" / "segment_flags.sql"
_PAIR = re.compile(r"\(\s*'([a-z_]+)'\s*,\s*'(is_[a-z_]+)'\s*\)")


def read_registry(path: Path = REGISTRY) -> dict[str, str]:
    """segment -> profile flag, in the macro's order; an error when none can be read."""
    pairs = _PAIR.findall(path.read_text(encoding="utf-8"))
    if not pairs:
        raise RuntimeError(f"{path}: no ('segment', 'is_flag') pairs found")
    return dict(pairs)


SEGMENT_FLAGS: dict[str, str] = read_registry()
SEGMENTS: tuple[str, ...] = tuple(SEGMENT_FLAGS)
