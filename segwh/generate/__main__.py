"""``python -m segwh.generate``."""

import sys

from segwh.generate.cli import main

sys.exit(main())
