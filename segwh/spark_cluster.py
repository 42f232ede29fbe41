"""`python -m segwh.spark_cluster start|stop|status` (make spark-cluster /
spark-cluster-stop): the command line of the local Spark cluster (segwh.spark)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from segwh.spark.cluster import Cluster, start, stop
from segwh.spark.health import alive_workers, master_status, thrift_answers
from segwh.spark.processes import is_running, worker_isolation_available
from segwh.spark.settings import (
    DEFAULT_DIRECTORY,
    DEFAULT_TIMEOUT,
    PORT_SETTINGS,
    ROLE_CLASSES,
    ClusterError,
)

# what the test fixture that starts the one cluster of a test run uses, besides main()
__all__ = ["PORT_SETTINGS", "Cluster", "alive_workers", "main", "master_status", "stop",
           "thrift_answers", "worker_isolation_available"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m segwh.spark_cluster",
        description=(
            "Start or stop a local Spark standalone cluster (master, one worker, Thrift "
            "Server) from the installed pyspark, bound to 127.0.0.1. Ports come from "
            + ", ".join(f"{var} ({default})" for _k, var, default in PORT_SETTINGS)
            + "; 'auto' picks a free port. Point dbt at it with --target spark_thrift and "
            "SPARK_THRIFT_HOST/SPARK_THRIFT_PORT (printed by start and status)."
        ),
    )
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("--dir", type=Path, default=Path(
        os.environ.get("SPARK_CLUSTER_DIR", str(DEFAULT_DIRECTORY))),
        help="where the warehouse, metastore, logs and scratch space live "
             "(SPARK_CLUSTER_DIR, default build/spark)")
    parser.add_argument("--cores", type=int, default=None,
                        help="cores the worker offers (default: every core)")
    parser.add_argument("--worker-memory", default=os.environ.get("SPARK_WORKER_MEMORY", "3g"))
    parser.add_argument("--driver-memory", default=os.environ.get("SPARK_DRIVER_MEMORY", "2g"),
                        help="the Thrift Server's memory (SPARK_DRIVER_MEMORY)")
    parser.add_argument("--executor-memory",
                        default=os.environ.get("SPARK_EXECUTOR_MEMORY", "2g"))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds to wait for the cluster to be healthy")
    parser.add_argument("--worker-private-dir", type=Path, action="append", default=[],
                        help="(tests) a directory the worker sees as its own empty tmpfs, "
                             "as a worker on another host would; needs root and unshare")
    return parser


def _describe(cluster: Cluster) -> str:
    env = " ".join(f"{key}={value}" for key, value in cluster.dbt_env().items())
    return (
        f"master {cluster.master_url} (status http://{cluster.host}:"
        f"{cluster.ports['master_ui']}/json/), thrift {cluster.host}:{cluster.ports['thrift']}, "
        f"warehouse {cluster.warehouse}, pids {cluster.pids}\n"
        f"dbt: {env} dbt build --target spark_thrift"
    )


def _exit_on_sigterm(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds start(): what it started is stopped


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        if args.command == "start":
            cluster = start(args.dir, cores=args.cores, worker_memory=args.worker_memory,
                            driver_memory=args.driver_memory,
                            executor_memory=args.executor_memory, timeout=args.timeout,
                            worker_private_dirs=args.worker_private_dir)
            print("Spark cluster started: " + _describe(cluster))
        elif args.command == "stop":
            stopped = stop(args.dir)
            print("stopped " + ", ".join(stopped) if stopped else
                  f"no Spark cluster running from {args.dir}")
        else:
            cluster = Cluster.load(args.dir.resolve())
            healthy = cluster is not None and all(
                is_running(pid, ROLE_CLASSES[role]) for role, pid in cluster.pids.items()
            ) and alive_workers(master_status(cluster.host, cluster.ports["master_ui"])) >= 1 \
                and thrift_answers(cluster.host, cluster.ports["thrift"])
            if not healthy:
                print(f"no healthy Spark cluster running from {args.dir}")
                return 1
            print("Spark cluster healthy: " + _describe(cluster))
    except ClusterError as error:
        print(f"spark-cluster: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
