"""Wall time and peak resident memory of a process tree (polled from /proc)."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from segwh.core.paths import REPO_ROOT


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class PeakMemory:
    """Polls the resident memory of a process tree every 0.2 s until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self.available = os.path.isdir("/proc")
        if self.available:
            self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, tree_rss(self.pid))
            except Exception:  # noqa: BLE001 - a vanished process is fine
                pass
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        if self.available:
            self._thread.join()
        return self.peak


def run_measured(command: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    """Runs `command`, returns wall seconds, peak tree RSS and the exit code."""
    start = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        memory = PeakMemory(process.pid)
        code = process.wait()
        peak = memory.stop()
    seconds = time.perf_counter() - start
    if not peak:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20), "exit": code}


def remove_database(path: Path) -> None:
    """Deletes a DuckDB file and its write-ahead log, if they exist."""
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
