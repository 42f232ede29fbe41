"""The small shared core of segwh: where things are (paths) and how dbt is run (dbt)."""
