"""Benchmark of the warehouse on generated data (``make bench``; ``python -m segwh.bench --help``).

On N generated customers (cached in ``--data-root``), as full exports and as daily
deliveries of the same shop, it times a full ``dbt build`` and ``dbt run``, a refresh with
one new day delivered as new files and the same day delivered as a full re-export, and a
refresh after a deletion, a tombstone and an erasure (with planted checks that they are
right); it checks the planted customers' segments, records the peak resident memory of
every dbt step, prints each target met or missed (segwh.bench.targets) and, with
``--publish``, keeps the report as ``docs/bench/<size>.json`` and rewrites the README's
results table. Steps, data and reports: ``docs/bench.md``.

Modules: ``cli`` (arguments, report), ``scenarios`` (the steps and their order), ``data``
and ``next_day`` / ``deletions`` (the raw data of each step), ``dbt_step`` and ``measure``
(a timed dbt command, its peak memory), ``checks`` (planted segments), ``floors`` (the
same work without dbt), ``clv_step``, ``targets``, ``report``.
"""

# re-exported for the incremental equivalence test (tests/python/test_incremental.py reads
# the next day's raw files the bench builds) and the planted-sample test (FLAGS)
from segwh.bench.data import raw_source
from segwh.bench.next_day import ensure_next_day
from segwh.segments import SEGMENT_FLAGS as FLAGS

__all__ = ["FLAGS", "ensure_next_day", "raw_source"]
