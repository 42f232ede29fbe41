"""`python -m segwh.refresh`: see segwh.refresh.cli."""

import sys

from segwh.refresh.cli import main

sys.exit(main())
