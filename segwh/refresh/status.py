"""`segwh-refresh status`: the published version, the kept versions and the last run (or
that it died)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from segwh.core.versions import published_version
from segwh.refresh import files
from segwh.refresh.lock import lock_is_held, read_lock_holder
from segwh.refresh.outcome import EXIT_OK


def command_status(args: argparse.Namespace) -> int:
    published = args.published.resolve()
    layout = files.Layout(published)
    running = lock_is_held(layout.lock)
    holder = read_lock_holder(layout.lock)
    status: dict[str, Any] = {
        "published_path": str(published),
        "exists": published.exists(),
        "version": published_version(published) if published.exists() else None,
        "kept_versions": files.list_versions(published),
        "refresh_running": running,
        "lock_holder_pid": holder if running else None,
    }
    finished = None
    if layout.last_summary.exists():
        try:
            summary = json.loads(layout.last_summary.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            summary = {"status": "unknown", "reason": f"unreadable {layout.last_summary}: {error}"}
        finished = {
            key: summary.get(key)
            for key in ("run_id", "status", "exit_code", "reason", "version", "finished_at")
        }
    if not running and holder is not None:
        # the lock file still names a holder that no longer holds it: that process ended
        # without releasing it (SIGKILL, out of memory, power cut)
        run_dir = files.run_dir_of(layout.runs_dir, holder)
        status["last_run"] = {
            "status": "died",
            "pid": holder,
            "reason": f"the refresh (or rollback) with pid {holder} ended without finishing "
            "(killed, out of memory or a reboot): nothing was published by it; the next "
            "refresh removes its build files",
            "log": str(run_dir / "refresh.log") if run_dir else None,
        }
        status["last_finished_run"] = finished
    elif finished is not None:
        status["last_run"] = finished
    print(json.dumps(status, indent=2))
    return EXIT_OK
