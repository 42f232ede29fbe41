"""Every window function in the models is partitioned, or says why a global one is meant.

A window without `partition by` makes Spark move every row to one task ("No Partition
Defined for Window operation! Moving all data to a single partition"), which does not
scale on a cluster. A global window is allowed only over a relation that stays small
whatever the data (channels, income bands, rank buckets), with a comment saying so
("global window(s) on purpose") between the start of its CTE and the window.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO_ROOT

SOURCES = ("models", "macros", "tests/singular", "tests/generic", "analyses")
OVER = re.compile(r"\bover\s*\(", re.IGNORECASE)
JUSTIFIED = re.compile(r"global windows? on purpose", re.IGNORECASE)
CTE_START = re.compile(r"^\s*\w+ as \($")


def window_clauses(text: str) -> list[tuple[int, str]]:
    """(line number, text inside the parentheses) of every `over (...)`."""
    clauses = []
    for match in OVER.finditer(text):
        depth, index = 1, match.end()
        while depth and index < len(text):
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            index += 1
        clauses.append((text.count("\n", 0, match.start()) + 1, text[match.end():index - 1]))
    return clauses


def unpartitioned_windows() -> list[str]:
    found = []
    for folder in SOURCES:
        for path in sorted((REPO_ROOT / folder).rglob("*.sql")):
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines()
            for line_number, clause in window_clauses(text):
                if "partition by" in clause.lower():
                    continue
                start = line_number - 1
                while start > 0 and not CTE_START.match(lines[start]):
                    start -= 1
                if not any(JUSTIFIED.search(line) for line in lines[start:line_number]):
                    found.append(f"{path.relative_to(REPO_ROOT)}:{line_number}")
    return found


def test_the_scan_finds_windows() -> None:
    text = Path(REPO_ROOT / "macros" / "ranking" / "rows_below.sql").read_text()
    assert len(window_clauses(text)) == 2


def test_every_window_is_partitioned_or_justified() -> None:
    found = unpartitioned_windows()
    assert not found, (
        "window functions without `partition by` (add one, or a comment 'global window on "
        "purpose' saying why the relation stays small): " + ", ".join(found)
    )
