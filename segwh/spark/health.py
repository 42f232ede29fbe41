"""Whether a local Spark cluster is healthy: the master's status page, its ALIVE workers,
the Thrift Server answering a query, and the end of a process's log when it is not."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

from segwh.spark.settings import LOG_TAIL_CHARS


def log_tail(directory: Path, role: str, chars: int = LOG_TAIL_CHARS) -> str:
    log = directory / "logs" / f"{role}.log"
    return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"


def master_status(host: str, ui_port: int) -> dict | None:
    """The master's JSON status page, or None while it does not answer."""
    try:
        with urllib.request.urlopen(f"http://{host}:{ui_port}/json/", timeout=5) as response:
            return json.loads(response.read().decode())
    except (OSError, ValueError):
        return None


def alive_workers(status: dict | None) -> int:
    if not status:
        return 0
    return sum(1 for worker in status.get("workers", []) if worker.get("state") == "ALIVE")


def thrift_answers(host: str, port: int) -> bool:
    """The Thrift Server accepts a session and answers `select 1`."""
    try:
        with socket.create_connection((host, port), timeout=3):
            pass
    except OSError:
        return False
    try:  # PyHive is optional: imported only where a query is sent
        from pyhive import hive
    except ImportError:  # PyHive missing: the open port is all we can check
        return True
    try:
        connection = hive.connect(host=host, port=port, username="healthcheck")
        try:
            cursor = connection.cursor()
            cursor.execute("select 1")
            return cursor.fetchall() == [(1,)]
        finally:
            connection.close()
    except Exception:  # noqa: BLE001 - not ready yet, whatever the thrift layer raises
        return False
