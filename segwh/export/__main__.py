"""`python -m segwh.export`: see segwh.export.cli."""

import sys

from segwh.export.cli import main

sys.exit(main())
