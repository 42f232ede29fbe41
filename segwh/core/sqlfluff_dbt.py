"""sqlfluff as `make lint` runs it: with sqlparse's grouping limits lifted, as dbt's CLI lifts them.

dbt's command line sets sqlparse's MAX_GROUPING_TOKENS/DEPTH to unlimited (its `--sqlparse`
default) before it compiles; sqlfluff's dbt templater compiles through dbt's library and
keeps sqlparse's own limit (10,000 tokens), below what the largest staging model
(base_shop__customers, with its ephemeral CTE injected) compiles to — sqlfluff would skip that
file with a warning instead of linting it. Usage: python -m segwh.core.sqlfluff_dbt lint PATHS
"""

from __future__ import annotations

import sqlparse.engine.grouping
from sqlfluff.cli.commands import cli

sqlparse.engine.grouping.MAX_GROUPING_TOKENS = None
sqlparse.engine.grouping.MAX_GROUPING_DEPTH = None

if __name__ == "__main__":
    cli()
