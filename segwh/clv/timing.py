"""The CLV step alone, for the benchmark: ``python -m segwh.clv.timing WAREHOUSE.duckdb``.

Reads intermediate.int_customers_clv_prepared and marts.clv_model_fit's settings from a
built warehouse (read-only), then fits and predicts exactly as the dbt Python models do,
in a plain process, and prints one JSON line: buyers, distinct (x, t_x, T), and the wall and
CPU seconds of reading, fitting and predicting. ``segwh.bench`` runs it and measures its memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import duckdb

from segwh.clv import warehouse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m segwh.clv.timing",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", help="a built warehouse file (opened read-only)")
    parser.add_argument("--max-iterations", type=int, default=1000)
    parser.add_argument("--horizon-days", type=int, default=365)
    parser.add_argument("--monthly-discount-rate", type=float, default=0.01)
    args = parser.parse_args(argv)
    start, cpu_start = time.perf_counter(), time.process_time()
    with duckdb.connect(args.warehouse, read_only=True) as con:
        prepared = con.execute(
            "select * from intermediate.int_customers_clv_prepared").to_arrow_table()
    read, cpu_read = time.perf_counter(), time.process_time()
    fit = warehouse.fit_table(prepared, args.max_iterations).to_pylist()[0]
    fitted, cpu_fitted = time.perf_counter(), time.process_time()
    predicted = warehouse.predict_table(prepared, fit, args.horizon_days,
                                        args.monthly_discount_rate)
    done, cpu_done = time.perf_counter(), time.process_time()
    print(json.dumps({
        "buyers": prepared.num_rows,
        "distinct_profiles": fit["bgnbd_distinct_profiles"],
        "read_seconds": round(read - start, 2),
        "fit_seconds": round(fitted - read, 2),
        "predict_seconds": round(done - fitted, 2),
        "seconds": round(done - start, 2),
        # CPU seconds of this process: on a shared machine, wall time measures the others too
        "cpu_read_seconds": round(cpu_read - cpu_start, 2),
        "cpu_fit_seconds": round(cpu_fitted - cpu_read, 2),
        "cpu_predict_seconds": round(cpu_done - cpu_fitted, 2),
        "cpu_seconds": round(cpu_done - cpu_start, 2),
        "predicted_rows": predicted.num_rows,
        "failure": fit["failure"],
    }))
    return 0 if fit["failure"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
