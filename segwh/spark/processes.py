"""The processes of a local Spark cluster: launched in their own process groups, known by
id and main class, stopped by id (never by name)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from segwh.spark.settings import STOP_GRACE_SECONDS

# processes this Python process started, by pid (their command line is empty until exec)
_CHILDREN: dict[int, subprocess.Popen] = {}


def is_running(pid: int, main_class: str) -> bool:
    """The process `pid` exists, is not a zombie and is a JVM running `main_class`."""
    if pid in _CHILDREN:
        return _CHILDREN[pid].poll() is None
    proc = Path(f"/proc/{pid}")
    try:
        command = (proc / "cmdline").read_bytes().decode(errors="replace")
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and main_class in command


def stop_process(pid: int, main_class: str) -> bool:
    """SIGTERM to the process group `pid` leads (its executors too), then SIGKILL."""
    if not is_running(pid, main_class):
        reap(pid)
        return False
    for sig, wait in ((signal.SIGTERM, STOP_GRACE_SECONDS), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(pid, sig)  # each role leads its own group (started in a new session)
        except ProcessLookupError:
            break
        except PermissionError:
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            reap(pid)
            if not is_running(pid, main_class) and not group_alive(pid):
                return True
            time.sleep(0.2)
    reap(pid)
    return True


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    # members may be zombies of ours: reap and look at their states
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def reap(pid: int) -> None:
    """Collects `pid` when it is our own child that has exited (no zombie left behind)."""
    if pid in _CHILDREN:
        if _CHILDREN[pid].poll() is not None:
            del _CHILDREN[pid]
        return
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def launch(role: str, command: list[str], directory: Path, env: dict[str, str]) -> int:
    log = directory / "logs" / f"{role}.log"
    with open(log, "ab") as handle:
        process = subprocess.Popen(
            command,
            cwd=directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one, no SIGHUP
        )
    _CHILDREN[process.pid] = process
    return process.pid


def worker_isolation_available() -> bool:
    """Whether `unshare` can give the worker its own mount namespace (root on Linux)."""
    if shutil.which("unshare") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def private_dirs_wrapper(private_dirs: list[Path], command: list[str]) -> list[str]:
    """`command` in a mount namespace of its own where each of `private_dirs` is an empty
    tmpfs: what the worker (and its executors) write there, the driver never sees, as on a
    worker host that does not share the driver's disk."""
    mounts = " && ".join(
        f"mkdir -p '{path}' && mount -t tmpfs segwh-private '{path}'" for path in private_dirs
    )
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            f'{mounts} && exec "$@"', "sh", *command]
