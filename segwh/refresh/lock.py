"""The refresh lock: one refresh (or rollback) of a warehouse at a time.

An exclusive ``flock`` on ``<published>.lock`` that holds the holder's pid; the kernel
releases it when the holder dies, so a killed refresh never blocks the next one.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path

from segwh.refresh.files import write_all


class LockBusy(Exception):
    """Another process holds the refresh lock."""


@dataclass
class RefreshLock:
    """An exclusive ``flock`` on ``<published>.lock``; the kernel releases it when we die."""

    path: Path
    fd: int | None = None

    def acquire(self, wait_seconds: float, poll_seconds: float = 0.2) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = read_lock_holder(self.path)
                    os.close(fd)
                    who = f"pid {holder}" if holder else "another process"
                    raise LockBusy(
                        f"another refresh ({who}) holds the lock {self.path}; "
                        f"gave up after {wait_seconds:g} s (see --wait-seconds)"
                    ) from None
                time.sleep(poll_seconds)
        self.fd = fd
        try:  # the holder's pid, for `status` and for a refresh that has to wait
            os.ftruncate(fd, 0)
            write_all(fd, f"{os.getpid()}\n".encode())
        except OSError:
            self.release()
            raise

    def release(self) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
                self.fd = None


def read_lock_holder(path: Path) -> int | None:
    """The pid written by the last holder of the lock file (it may have ended)."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def lock_is_held(path: Path) -> bool:
    """Whether some process holds the lock right now (a non-blocking probe)."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
