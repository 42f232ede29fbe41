"""A Spark standalone cluster with a Thrift Server, from the pinned pyspark wheel.

``make spark-cluster`` / ``make spark-cluster-stop`` (``python -m segwh.spark_cluster
--help``, the command line in ``segwh.spark_cluster``). Starts, on 127.0.0.1 only:

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

Modules: ``settings`` (roles, ports, configuration), ``processes`` (launch and stop by id),
``health`` (status page, workers, Thrift), ``cluster`` (start, stop, ``cluster.json``).
"""