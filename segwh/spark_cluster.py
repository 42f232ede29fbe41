"""A Spark standalone cluster with a Thrift Server, from the pinned pyspark wheel.

``make spark-cluster`` / ``make spark-cluster-stop`` (``python -m segwh.spark_cluster
--help``). Starts, on 127.0.0.1 only:

* a standalone master (``org.apache.spark.deploy.master.Master``),
* one worker (``org.apache.spark.deploy.worker.Worker``),
* the Spark Thrift Server (``org.apache.spark.sql.hive.thriftserver.HiveThriftServer2``,
  the Hive-compatible JDBC/ODBC endpoint dbt's ``spark_thrift`` target connects to), as an
  application of that master,

from the jars of the installed pyspark (the wheel ships ``bin/spark-class`` and
``bin/spark-submit`` but no ``sbin/start-*.sh``). Everything lives under one directory
(default ``build/spark``): the warehouse (``warehouse/``), the Derby metastore
(``metastore_db``), Spark's scratch space, the configuration (``conf/``, logs at WARN) and
one log file per process (``logs/``). ``cluster.json`` records the ports and process ids;
``stop`` ends exactly those processes (and their process groups, so the executors the
worker launched go too), by id.

Started means healthy: the master's JSON (``http://127.0.0.1:<ui>/json/``) shows the
worker ALIVE, and the Thrift port answers a query (``select 1``).

The same commands run on a real cluster with Spark's own scripts; point dbt at its Thrift
Server with ``SPARK_THRIFT_HOST`` / ``SPARK_THRIFT_PORT`` (README, "Running on Spark").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
STATE_FILE = "cluster.json"
# the order processes start in; they stop in the reverse order
ROLES = ("master", "worker", "thrift")
ROLE_CLASSES = {"master": MASTER_CLASS, "worker": WORKER_CLASS, "thrift": THRIFT_CLASS}
# port settings: (state key, environment variable, default; "auto" = a free port)
PORT_SETTINGS = (
    ("master", "SPARK_MASTER_PORT", "7077"),
    ("master_ui", "SPARK_MASTER_WEBUI_PORT", "8080"),
    ("worker_ui", "SPARK_WORKER_WEBUI_PORT", "8081"),
    ("thrift", "SPARK_THRIFT_PORT", "10000"),
)
DEFAULT_DIRECTORY = Path("build") / "spark"
DEFAULT_TIMEOUT = 240.0
STOP_GRACE_SECONDS = 20.0
LOG_TAIL_CHARS = 3000
LOG4J2 = """\
# Written by segwh.spark_cluster: WARN and above only (INFO is ~50 MB per dbt build).
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""


class ClusterError(RuntimeError):
    """The cluster could not be started, checked or stopped (one clear line)."""


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
            if pid is not None and _stop_process(pid, ROLE_CLASSES[role]):
                stopped.append(f"{role} (pid {pid})")
        state = self.directory / STATE_FILE
        if state.exists():
            state.unlink()
        self.pids = {}
        return stopped


# --- processes ----------------------------------------------------------------------------


def spark_home() -> Path:
    """The pyspark package directory: its bin/ and jars/ are a Spark distribution."""
    import pyspark

    home = Path(pyspark.__file__).resolve().parent
    if not (home / "bin" / "spark-class").exists():
        raise ClusterError(f"no bin/spark-class in {home}: is pyspark installed in full?")
    return home


# processes this Python process started, by pid (their command line is empty until exec)
_CHILDREN: dict[int, subprocess.Popen] = {}


def _is_running(pid: int, main_class: str) -> bool:
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


def _stop_process(pid: int, main_class: str) -> bool:
    """SIGTERM to the process group `pid` leads (its executors too), then SIGKILL."""
    if not _is_running(pid, main_class):
        _reap(pid)
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
            _reap(pid)
            if not _is_running(pid, main_class) and not _group_alive(pid):
                return True
            time.sleep(0.2)
    _reap(pid)
    return True


def _group_alive(pgid: int) -> bool:
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


def _reap(pid: int) -> None:
    """Collects `pid` when it is our own child that has exited (no zombie left behind)."""
    if pid in _CHILDREN:
        if _CHILDREN[pid].poll() is not None:
            del _CHILDREN[pid]
        return
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False


def resolve_ports(requested: dict[str, str]) -> dict[str, int]:
    """Port numbers from settings: a number, or "auto"/"0" for a free port now."""
    ports: dict[str, int] = {}
    for key, variable, _default in PORT_SETTINGS:
        value = str(requested[key]).strip().lower()
        if value in ("auto", "0"):
            port = free_port()
            while port in ports.values():
                port = free_port()
        elif value.isdigit() and 0 < int(value) < 65536:
            port = int(value)
            if _port_in_use(port):
                raise ClusterError(
                    f"port {port} on {HOST} is in use: set {variable} to a free port "
                    "(or 'auto')"
                )
        else:
            raise ClusterError(f"{variable}={requested[key]!r} is not a port number or 'auto'")
        ports[key] = port
    return ports


def _write_conf(directory: Path, driver_memory: str, executor_memory: str) -> Path:
    conf = directory / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "log4j2.properties").write_text(LOG4J2, encoding="utf-8")
    java_options = (
        f"-Djava.io.tmpdir={directory / 'tmp'} -Dderby.system.home={directory}"
    )
    defaults = {
        "spark.sql.warehouse.dir": (directory / "warehouse").as_uri(),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "4",
        "spark.local.dir": str(directory / "local"),
        "spark.driver.memory": driver_memory,
        "spark.executor.memory": executor_memory,
        "spark.driver.extraJavaOptions": java_options,
        "spark.executor.extraJavaOptions": java_options,
        "spark.driver.host": HOST,
        "spark.driver.bindAddress": HOST,
        "spark.ui.enabled": "false",
        "spark.master.rest.enabled": "false",
    }
    (conf / "spark-defaults.conf").write_text(
        "# Written by segwh.spark_cluster\n"
        + "".join(f"{key} {value}\n" for key, value in defaults.items()),
        encoding="utf-8",
    )
    return conf


def _environment(directory: Path, conf: Path, ports: dict[str, int]) -> dict[str, str]:
    env = dict(os.environ)
    # Spark's own scripts read the same variables: hand them the resolved numbers
    env.update({variable: str(ports[key]) for key, variable, _default in PORT_SETTINGS})
    env.update(
        {
            "SPARK_HOME": str(spark_home()),
            "SPARK_CONF_DIR": str(conf),
            "SPARK_LOCAL_IP": HOST,
            "SPARK_LOCAL_DIRS": str(directory / "local"),
            "SPARK_WORKER_DIR": str(directory / "work"),
            "SPARK_LOG_DIR": str(directory / "logs"),
            "SPARK_DAEMON_JAVA_OPTS": f"-Djava.io.tmpdir={directory / 'tmp'}",
        }
    )
    # the worker hands its environment to the executors: no Python of ours in between
    env.pop("PYSPARK_GATEWAY_PORT", None)
    return env


def _launch(role: str, command: list[str], directory: Path, env: dict[str, str]) -> int:
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
    try:
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


def _wait(what: str, check, cluster: Cluster, role: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if check():
            return
        if not _is_running(cluster.pids[role], ROLE_CLASSES[role]):
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


def worker_isolation_available() -> bool:
    """Whether `unshare` can give the worker its own mount namespace (root on Linux)."""
    if shutil.which("unshare") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def _private_dirs_wrapper(private_dirs: list[Path], command: list[str]) -> list[str]:
    """`command` in a mount namespace of its own where each of `private_dirs` is an empty
    tmpfs: what the worker (and its executors) write there, the driver never sees, as on a
    worker host that does not share the driver's disk."""
    mounts = " && ".join(
        f"mkdir -p '{path}' && mount -t tmpfs segwh-private '{path}'" for path in private_dirs
    )
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            f'{mounts} && exec "$@"', "sh", *command]


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
        _is_running(pid, ROLE_CLASSES[role]) for role, pid in running.pids.items()
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
    conf = _write_conf(directory, driver_memory, executor_memory)
    cluster = Cluster(directory=directory, ports=resolve_ports(requested))
    env = _environment(directory, conf, cluster.ports)
    bin_dir = spark_home() / "bin"
    cores = cores or os.cpu_count() or 2
    deadline = time.monotonic() + timeout
    try:
        cluster.pids["master"] = _launch("master", [
            str(bin_dir / "spark-class"), MASTER_CLASS, "--host", HOST,
            "--port", str(cluster.ports["master"]),
            "--webui-port", str(cluster.ports["master_ui"]),
        ], directory, env)
        cluster.save()
        _wait("the master's status page", lambda: master_status(
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
            worker = _private_dirs_wrapper([Path(p) for p in worker_private_dirs], worker)
        cluster.pids["worker"] = _launch("worker", worker, directory, env)
        cluster.save()
        _wait("the worker to be ALIVE on the master", lambda: alive_workers(master_status(
            HOST, cluster.ports["master_ui"])) >= 1, cluster, "worker", deadline)
        metastore = f"jdbc:derby:;databaseName={directory / 'metastore_db'};create=true"
        cluster.pids["thrift"] = _launch("thrift", [
            str(bin_dir / "spark-submit"), "--master", cluster.master_url,
            "--class", THRIFT_CLASS, "--name", "segwh-thrift-server",
            "--hiveconf", f"hive.server2.thrift.bind.host={HOST}",
            "--hiveconf", f"hive.server2.thrift.port={cluster.ports['thrift']}",
            "--hiveconf", f"javax.jdo.option.ConnectionURL={metastore}",
            "--hiveconf", f"hive.exec.scratchdir={directory / 'tmp' / 'hive'}",
            "--hiveconf", f"hive.exec.local.scratchdir={directory / 'tmp' / 'hive-local'}",
        ], directory, env)
        cluster.save()
        _wait(f"the Thrift Server to answer on {HOST}:{cluster.ports['thrift']}",
              lambda: thrift_answers(HOST, cluster.ports["thrift"]), cluster, "thrift", deadline)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def stop(directory: Path) -> list[str]:
    """Stops the cluster recorded in `directory`; returns what was stopped."""
    cluster = Cluster.load(directory.resolve())
    return [] if cluster is None else cluster.stop()


# --- command line ---------------------------------------------------------------------


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
                _is_running(pid, ROLE_CLASSES[role]) for role, pid in cluster.pids.items()
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
