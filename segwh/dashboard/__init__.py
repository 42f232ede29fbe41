"""What the dashboard (dashboard/app.py, `make dashboard`) shows: ``warehouse`` (the files
it can read, read-only, and what each holds), ``figures`` (one query per chart), ``charts``
(shared chart helpers), ``sections_audience`` and ``sections_value`` (the page's sections)."""
