"""What the dashboard (dashboard/app.py, `make dashboard`) reads: ``warehouse`` (the files
it can read, read-only, and what each holds) and ``figures`` (one query per chart)."""
