"""Campaign exports: one file per segment for one channel, from the published warehouse
(`segwh-export`, `python -m segwh.export`; usage: ``segwh.export.cli``).

- ``contacts``: phones in E.164, e-mail addresses, SHA-256 digests;
- ``lists``: who of a segment may be contacted on a channel, and the export of them;
- ``files``: writing a file whole or not at all;
- ``cli``: the command line.
"""

from segwh.export.cli import main
from segwh.export.contacts import normalize_email, normalize_phone, sha256_hex
from segwh.export.lists import CHANNELS, FORMATS, build_rows, export, read_members
from segwh.segments import SEGMENTS

__all__ = [
    "CHANNELS",
    "FORMATS",
    "SEGMENTS",
    "build_rows",
    "export",
    "main",
    "normalize_email",
    "normalize_phone",
    "read_members",
    "sha256_hex",
]
