"""One refresh run: its settings, its log, its stages and its summary."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from segwh.refresh.files import Layout

PAUSE_ENV = "SEGWH_REFRESH_PAUSE_AT"  # test hook: "<stage>[,<stage>]" sleeps at a stage
STAGES = ("locked", "copied", "built", "validate", "validated", "audited", "publish", "published")


def now() -> datetime:
    return datetime.now(UTC)


def new_version_id(moment: datetime) -> str:
    """Sortable id: UTC time to the millisecond, e.g. 20250701T031502123Z."""
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Run:
    published: Path
    vars_yaml: str | None
    keep: int
    max_change: float
    wait_seconds: float
    suites_dir: Path
    project_dir: Path
    dbt: Path
    freshness: str = "warn"
    full_refresh: bool = False
    started: datetime = field(default_factory=now)
    summary: dict[str, Any] = field(default_factory=dict)
    log: TextIO | None = None
    build: Path | None = None
    dbt_path: Path | None = None  # the build file as dbt sees it (files.DbtState)
    dbt_process: subprocess.Popen[str] | None = None

    @property
    def run_id(self) -> str:
        return new_version_id(self.started)

    @property
    def layout(self) -> Layout:
        return Layout(self.published)

    @property
    def run_dir(self) -> Path:
        return self.layout.runs_dir / f"{self.run_id}-{os.getpid()}"

    def say(self, message: str) -> None:
        """A line on stdout and in the run log; a log or stdout that cannot be written (a
        full disk) is not a reason to stop, the summary and exit code still say it all."""
        line = f"{now().strftime('%Y-%m-%dT%H:%M:%S')}Z [refresh {os.getpid()}] {message}"
        try:
            print(line, flush=True)
        except OSError:
            pass
        self.log_line(line)

    def log_line(self, line: str) -> None:
        if self.log is None:
            return
        try:
            self.log.write(line + "\n")
            self.log.flush()
        except OSError:
            log, self.log = self.log, None
            try:
                log.close()
            except OSError:
                pass

    def stage(self, name: str) -> None:
        self.summary.setdefault("stages", []).append(
            {"stage": name, "at": now().isoformat(), "elapsed_s": self.elapsed()}
        )
        pauses = [s.strip() for s in os.environ.get(PAUSE_ENV, "").split(",") if s.strip()]
        if name in pauses:
            self.say(f"paused at stage {name} ({PAUSE_ENV})")
            while True:
                time.sleep(1)

    def elapsed(self) -> float:
        return round((now() - self.started).total_seconds(), 3)
