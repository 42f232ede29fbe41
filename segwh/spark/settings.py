"""Where a local Spark cluster lives and how its processes are configured: roles, ports,
Spark's configuration files and environment, the pyspark installation they run from."""

from __future__ import annotations

import os
import socket
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
# Extra JVM options of the Thrift Server (the driver) and the executors, appended to the
# ones written here; e.g. the test suite's quick-start JIT (conftest.SPARK_TEST_JVM_OPTIONS)
JVM_OPTIONS_VARIABLE = "SPARK_JVM_OPTIONS"
DEFAULT_TIMEOUT = 240.0
STOP_GRACE_SECONDS = 20.0
LOG_TAIL_CHARS = 3000
LOG4J2 = """\
# Written by segwh.spark: WARN and above only (INFO is ~50 MB per dbt build).
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


def spark_home() -> Path:
    """The pyspark package directory: its bin/ and jars/ are a Spark distribution."""
    # imported when a cluster starts (pyspark takes a while to import): `stop` and
    # `status` do not need it
    import pyspark

    home = Path(pyspark.__file__).resolve().parent
    if not (home / "bin" / "spark-class").exists():
        raise ClusterError(f"no bin/spark-class in {home}: is pyspark installed in full?")
    return home


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_in_use(port: int) -> bool:
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
            if port_in_use(port):
                raise ClusterError(
                    f"port {port} on {HOST} is in use: set {variable} to a free port "
                    "(or 'auto')"
                )
        else:
            raise ClusterError(f"{variable}={requested[key]!r} is not a port number or 'auto'")
        ports[key] = port
    return ports


def write_conf(directory: Path, driver_memory: str, executor_memory: str) -> Path:
    conf = directory / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "log4j2.properties").write_text(LOG4J2, encoding="utf-8")
    java_options = (
        f"-Djava.io.tmpdir={directory / 'tmp'} -Dderby.system.home={directory}"
    )
    extra_options = os.environ.get(JVM_OPTIONS_VARIABLE, "").strip()
    if extra_options:
        java_options += f" {extra_options}"
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
        "# Written by segwh.spark\n"
        + "".join(f"{key} {value}\n" for key, value in defaults.items()),
        encoding="utf-8",
    )
    return conf


def environment(directory: Path, conf: Path, ports: dict[str, int]) -> dict[str, str]:
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
