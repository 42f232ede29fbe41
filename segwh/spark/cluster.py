"""A local Spark cluster: started (master, worker, Thrift Server) and healthy, recorded in
``cluster.json``, and stopped by process id."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from segwh.spark.health import alive_workers, log_tail, master_status, thrift_answers
from segwh.spark.processes import (
    is_running,
    launch,
    private_dirs_wrapper,
    stop_process,
    worker_isolation_available,
)
from segwh.spark.settings import (
    DEFAULT_TIMEOUT,
    HOST,
    MASTER_CLASS,
    PORT_SETTINGS,
    ROLE_CLASSES,
    ROLES,
    STATE_FILE,
    THRIFT_CLASS,
    WORKER_CLASS,
    ClusterError,
    environment,
    resolve_ports,
    spark_home,
    write_conf,
)


@dataclass
class Cluster:
    """A running cluster: where it lives, its ports and the process id of each role."""

    directory: Path
    ports: dict[str, int]
    pids: dict[str, int] = field(default_factory=dict)
    host: str = HOST

    @property
    def warehouse(self) -> Path:
        return self.directory / "warehouse"

    @property
    def master_url(self) -> str:
        return f"spark://{self.host}:{self.ports['master']}"

    def dbt_env(self) -> dict[str, str]:
        """The environment that points dbt's spark_thrift target at this cluster."""
        return {"SPARK_THRIFT_HOST": self.host, "SPARK_THRIFT_PORT": str(self.ports["thrift"])}

    def to_json(self) -> dict:
        return {
            "directory": str(self.directory),
            "host": self.host,
            "ports": self.ports,
            "pids": self.pids,
            "master_url": self.master_url,
            "warehouse": str(self.warehouse),
        }

    def save(self) -> None:
        path = self.directory / STATE_FILE
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Cluster | None:
        path = directory / STATE_FILE
        if not path.exists():
            return None
        state = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            directory=directory,
            ports={key: int(value) for key, value in state["ports"].items()},
            pids={key: int(value) for key, value in state["pids"].items()},
            host=state.get("host", HOST),
        )

    def stop(self) -> list[str]:
        """Ends every process of this cluster by id (thrift, worker, master); idempotent."""
        stopped = []
        for role in reversed(ROLES):
            pid = self.pids.get(role)
            if pid is not None and stop_process(pid, ROLE_CLASSES[role]):
                stopped.append(f"{role} (pid {pid})")
        state = self.directory / STATE_FILE
        if state.exists():
            state.unlink()
        self.pids = {}
        return stopped


def wait_for(what: str, check, cluster: Cluster, role: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if check():
            return
        if not is_running(cluster.pids[role], ROLE_CLASSES[role]):
            raise ClusterError(
                f"the Spark {role} exited while starting; its log "
                f"({cluster.directory / 'logs' / (role + '.log')}) ends with:\n"
                + log_tail(cluster.directory, role)
            )
        time.sleep(1.0)
    raise ClusterError(
        f"timed out waiting for {what}; the {role} log ends with:\n"
        + log_tail(cluster.directory, role)
    )


def start(
    directory: Path,
    ports: dict[str, str] | None = None,
    cores: int | None = None,
    worker_memory: str = "3g",
    driver_memory: str = "2g",
    executor_memory: str = "2g",
    timeout: float = DEFAULT_TIMEOUT,
    worker_private_dirs: list[Path] | None = None,
) -> Cluster:
    """Starts master, worker and Thrift Server; returns once all are healthy.

    `worker_private_dirs` (tests): directories the worker and its executors see as their
    own empty tmpfs (needs root and `unshare`), to reproduce a worker on another host.
    On any failure every process started so far is stopped before ClusterError is raised.
    """
    directory = directory.resolve()
    running = Cluster.load(directory)
    if running is not None and any(
        is_running(pid, ROLE_CLASSES[role]) for role, pid in running.pids.items()
    ):
        raise ClusterError(
            f"a cluster is already running from {directory} (pids {running.pids}): "
            "stop it first (make spark-cluster-stop)"
        )
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ClusterError("java not found: Spark needs Java 17 (set JAVA_HOME or PATH)")
    requested = {key: os.environ.get(variable, default)
                 for key, variable, default in PORT_SETTINGS}
    requested.update(ports or {})
    for sub in ("logs", "local", "work", "tmp", "warehouse"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    conf = write_conf(directory, driver_memory, executor_memory)
    cluster = Cluster(directory=directory, ports=resolve_ports(requested))
    env = environment(directory, conf, cluster.ports)
    bin_dir = spark_home() / "bin"
    cores = cores or os.cpu_count() or 2
    deadline = time.monotonic() + timeout
    try:
        cluster.pids["master"] = launch("master", [
            str(bin_dir / "spark-class"), MASTER_CLASS, "--host", HOST,
            "--port", str(cluster.ports["master"]),
            "--webui-port", str(cluster.ports["master_ui"]),
        ], directory, env)
        cluster.save()
        wait_for("the master's status page", lambda: master_status(
            HOST, cluster.ports["master_ui"]) is not None, cluster, "master", deadline)
        worker = [
            str(bin_dir / "spark-class"), WORKER_CLASS, "--host", HOST,
            "--webui-port", str(cluster.ports["worker_ui"]),
            "--cores", str(cores), "--memory", worker_memory,
            "--work-dir", str(directory / "work"), cluster.master_url,
        ]
        if worker_private_dirs:
            if not worker_isolation_available():
                raise ClusterError("worker_private_dirs needs root and unshare --mount")
            worker = private_dirs_wrapper([Path(p) for p in worker_private_dirs], worker)
        cluster.pids["worker"] = launch("worker", worker, directory, env)
        cluster.save()
        wait_for("the worker to be ALIVE on the master", lambda: alive_workers(master_status(
            HOST, cluster.ports["master_ui"])) >= 1, cluster, "worker", deadline)
        metastore = f"jdbc:derby:;databaseName={directory / 'metastore_db'};create=true"
        cluster.pids["thrift"] = launch("thrift", [
            str(bin_dir / "spark-submit"), "--master", cluster.master_url,
            "--class", THRIFT_CLASS, "--name", "segwh-thrift-server",
            "--hiveconf", f"hive.server2.thrift.bind.host={HOST}",
            "--hiveconf", f"hive.server2.thrift.port={cluster.ports['thrift']}",
            "--hiveconf", f"javax.jdo.option.ConnectionURL={metastore}",
            "--hiveconf", f"hive.exec.scratchdir={directory / 'tmp' / 'hive'}",
            "--hiveconf", f"hive.exec.local.scratchdir={directory / 'tmp' / 'hive-local'}",
        ], directory, env)
        cluster.save()
        wait_for(f"the Thrift Server to answer on {HOST}:{cluster.ports['thrift']}",
              lambda: thrift_answers(HOST, cluster.ports["thrift"]), cluster, "thrift", deadline)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def stop(directory: Path) -> list[str]:
    """Stops the cluster recorded in `directory`; returns what was stopped."""
    cluster = Cluster.load(directory.resolve())
    return [] if cluster is None else cluster.stop()
