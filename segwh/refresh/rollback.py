"""`segwh-refresh rollback`: publish a kept version again, after the same audit a refresh
passes."""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from segwh.core.versions import published_version
from segwh.preflight import first_line
from segwh.refresh import files
from segwh.refresh.audit import audit
from segwh.refresh.lock import LockBusy, RefreshLock
from segwh.refresh.outcome import (
    EXIT_ERROR,
    EXIT_LOCKED,
    EXIT_NO_VERSION,
    EXIT_OK,
    RefreshFailed,
    describe_os_error,
)
from segwh.refresh.run import new_version_id, now


def command_rollback(args: argparse.Namespace) -> int:
    published = args.published.resolve()
    layout = files.Layout(published)
    lock = RefreshLock(layout.lock)
    try:
        lock.acquire(args.wait_seconds)
        try:
            return _rollback(args, layout)
        finally:
            lock.release()
    except LockBusy as error:
        code, reason = EXIT_LOCKED, str(error)
    except RefreshFailed as error:
        code, reason = error.code, error.reason
    except OSError as error:
        code, reason = EXIT_ERROR, describe_os_error(error, published.parent)
    except duckdb.Error as error:
        code, reason = EXIT_ERROR, "unexpected error: " + first_line(error)
    print(f"rollback failed (exit {code}): {reason}", file=sys.stderr)
    return code


def _rollback(args: argparse.Namespace, layout: files.Layout) -> int:
    published = layout.published
    files.remove_stale_builds(layout, os.getpid())
    current = published_version(published)
    versions = [v for v in files.list_versions(published) if v != current]
    if args.to:
        if args.to not in versions:
            raise RefreshFailed(
                EXIT_NO_VERSION,
                f"no kept version {args.to} (kept: {', '.join(versions) or 'none'})",
            )
        target = args.to
    else:
        older = [v for v in versions if current is None or v < current]
        if not older:
            raise RefreshFailed(
                EXIT_NO_VERSION,
                f"no kept version older than {current or 'the published file'}",
            )
        target = older[-1]
    build = layout.build_file(os.getpid(), new_version_id(now()))
    build.parent.mkdir()
    try:
        files.copy_durably(files.version_file(published, target), build)
        try:
            audit(build, f"kept version {target}")
        except RefreshFailed as error:
            raise RefreshFailed(
                error.code,
                f"{error.reason}; nothing changed: roll back to another version (--to, see "
                "`status`) or run a refresh",
            ) from None
        if current is not None:
            files.keep_version(published, current)
        files.publish(build, published)
    finally:
        files.remove_build(build)
    print(f"rolled back {published} from version {current} to {target}")
    return EXIT_OK
