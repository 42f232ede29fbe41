"""``python -m segwh.bench``."""

import sys

from segwh.bench.cli import main

sys.exit(main())
