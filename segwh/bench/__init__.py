"""Benchmark of the warehouse on generated data (``make bench``; ``python -m segwh.bench --help``;
docs/bench.md).

Measures, side by side, on N generated customers (the data is cached in ``--data-root``):

* ``build``: a full ``dbt build`` (every model, seed, data and unit test) into a new file;
* ``run``: a full ``dbt run`` (models only) into a new file;
* ``floor``: the engine floor: the compiled SQL of every model of that run, executed in
  the same order in one plain DuckDB connection with the same settings, without dbt;
* ``scan``: the scan floor: every raw file read once (``count(*)`` and ``max`` of every
  column, so that every column is read);
* ``write``: the write floor: every raw row written once into a table of a new DuckDB
  file, its columns cast to the types of the clean tables (``stg_shop__<t>_checked`` of
  the ``run`` warehouse) by a plain ``try_cast``: no cleaning, checks, deduplication,
  quarantine or customer models. The least work of any design that keeps the rows at
  their grain (which incremental refreshes and row-level tests need);
* ``incremental``: one day of new data appended to the raw files (new orders, lines,
  sessions, carts, a few late-arriving rows inside the lookback window and re-exported
  orders with a later ``updated_at``), then ``dbt build`` on the warehouse of ``build``;
* ``planted``: the planted customers' segments (after ``build``) against the generator's
  ``expected_segments.csv``;
* ``clv``: the lifetime-value step (issue 16): the two dbt Python models
  (``int_clv_models_fitted``, ``int_customers_clv_predicted``) as timed inside the
  ``build`` or ``run`` step (``run`` is done when neither is asked for), and the same fit and
  predictions alone in a plain process (``python -m segwh.clv.timing``) with its peak memory.

With ``--engine spark`` only ``build`` runs, as ``dbt build --target spark_thrift`` against
the Spark cluster at ``SPARK_THRIFT_HOST``/``SPARK_THRIFT_PORT`` (``make spark-cluster``);
the floors, the incremental day and the planted check read DuckDB files. Peak memory is
then dbt's alone (the cluster's JVMs are other processes).

Wall times, per-model times (from ``run_results.json``) and the peak resident memory of
the whole process tree (polled from ``/proc``; on other systems the largest child's
``ru_maxrss``) are printed as a table and written to ``build/bench/<timestamp>.json``.
"""

# re-exported for the incremental equivalence test (tests/python/test_incremental.py reads
# the next day's raw files the bench builds) and the planted-sample test (FLAGS)
from segwh.bench.data import raw_source
from segwh.bench.next_day import ensure_next_day
from segwh.segments import SEGMENT_FLAGS as FLAGS

__all__ = ["FLAGS", "ensure_next_day", "raw_source"]
