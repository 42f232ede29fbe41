"""The generator's one notion of an instant: epoch seconds, UTC, read and written as text."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

DEFAULT_AS_OF = "2025-07-01 00:00:00"


def parse_as_of(text: str) -> int:
    """Epoch seconds of ``YYYY-MM-DD[ HH:MM:SS]`` (UTC)."""
    text = text.strip().replace("T", " ").removesuffix("Z")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return int(datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp())
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"as_of must be 'YYYY-MM-DD HH:MM:SS', got {text!r}")


def fmt_epoch(secs: int) -> str:
    return datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%d %H:%M:%S")
