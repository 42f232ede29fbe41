# The two commands: `make build` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt pyproject.toml | sha1sum | cut -c1-12)

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DUCKDB_PATH ?= $(CURDIR)/build/warehouse.duckdb
export SPARK_LOCAL_IP ?= 127.0.0.1
EXPORT_ARGS ?= --channel all
MF_ARGS ?= --metrics customers,buyers,revenue,average_order_value --group-by customer__country_code
# spark-build: `spark` (local pyspark in-process) or `spark_thrift` (the Thrift Server of a
# cluster: make spark-cluster, or SPARK_THRIFT_HOST/SPARK_THRIFT_PORT for yours)
SPARK_TARGET ?= spark
SPARK_CLUSTER_DIR ?= $(CURDIR)/build/spark

.PHONY: help venv build test lint dbt-build pytest sample clean spark-build refresh rollback \
	docs dashboard export metrics browser-deps bench spark-cluster spark-cluster-stop

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# the stamp's name holds the hash of the pinned files: new pins, new stamp. No
# modification-time prerequisites: a checkout that shares this .venv (a git worktree, a
# fresh clone's newer files) must not reinstall it, nor point its editable segwh elsewhere
$(STAMP):
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP) ## Create .venv from the pinned requirements (only when they changed)

build: venv ## Set up, load the bundled sample and build the warehouse at $DUCKDB_PATH
	@mkdir -p build
	$(BIN)/dbt build

lint: venv ## sqlfluff (dbt templater) on the models, ruff on the Python code
	@mkdir -p build
	DUCKDB_PATH=$(CURDIR)/build/lint.duckdb $(BIN)/python -m segwh.core.sqlfluff_dbt lint models tests/singular analyses
	$(BIN)/ruff check segwh tests/python dashboard

dbt-build: venv ## dbt build with every data and unit test, into a throwaway warehouse
	@mkdir -p build
	DUCKDB_PATH=$(CURDIR)/build/test-warehouse.duckdb $(BIN)/dbt build

# two workers, one test file at a time each (files share their builds; the Spark files go
# together, on one cluster), taken in the order of conftest.SLOWEST_FILES: the Spark tests
# start at once on their own worker
pytest: venv browser-deps ## The Python tests (acceptance, raw modes, generator, Spark equivalence, ...)
	$(BIN)/pytest -q -n 2 --dist loadfile --no-loadscope-reorder --durations=15

test: lint dbt-build pytest ## Every test: lint, dbt build with data and unit tests, pytest

sample: venv ## Regenerate the bundled sample seeds with the generator
	$(BIN)/python -m segwh.generate --customers 1000 --seed 42 --format csv \
		--out seeds/sample --expectations-out tests/fixtures/sample_expected

spark-build: venv ## dbt build on Spark on the sample (SPARK_TARGET=spark|spark_thrift)
	@mkdir -p build
	$(BIN)/dbt build --target $(SPARK_TARGET)

spark-cluster: venv ## Start a local Spark cluster + Thrift Server (build/spark, 127.0.0.1)
	$(BIN)/python -m segwh.spark_cluster start --dir $(SPARK_CLUSTER_DIR)

spark-cluster-stop: ## Stop the local Spark cluster (by process id)
	$(BIN)/python -m segwh.spark_cluster stop --dir $(SPARK_CLUSTER_DIR)

refresh: venv ## Write-audit-publish onto $DUCKDB_PATH (args: REFRESH_ARGS='--vars ...')
	@mkdir -p $(dir $(DUCKDB_PATH))
	$(BIN)/python -m segwh.refresh run $(REFRESH_ARGS)

rollback: venv ## Publish the previous kept version again (args: REFRESH_ARGS='--to VERSION')
	$(BIN)/python -m segwh.refresh rollback $(REFRESH_ARGS)

docs: venv ## The dbt documentation site (static) at build/docs/index.html
	@mkdir -p build/docs
	$(BIN)/dbt docs generate --static
	cp target/static_index.html build/docs/index.html
	@echo "docs: open build/docs/index.html"

dashboard: venv ## The web dashboard on $DUCKDB_PATH, read-only (PORT=8501)
	$(BIN)/streamlit run dashboard/app.py --server.headless true \
		--server.port $${PORT:-8501} --browser.gatherUsageStats false

export: venv ## Campaign files per segment (EXPORT_ARGS='--channel sms|email|ads ...')
	$(BIN)/python -m segwh.export $(EXPORT_ARGS)

metrics: venv ## MetricFlow query (MF_ARGS='--metrics revenue --group-by customer__country_code')
	@# one line (not mf's stack trace, nor an empty file created in its place) when the
	@# warehouse is missing or being written (before the parse), or half-built (after it)
	@$(BIN)/python -m segwh.preflight metrics --open-only
	@# parse first: the semantic manifest names the warehouse file's catalog (its stem)
	$(BIN)/dbt parse --quiet
	@$(BIN)/python -m segwh.preflight metrics
	$(BIN)/mf query $(MF_ARGS)

browser-deps: ## Debian chromium + chromedriver for the browser test (installed when missing)
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || \
		{ apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver; }

clean: ## Remove the build folder and dbt's target (stops the local Spark cluster first)
	@test ! -x $(BIN)/python || $(BIN)/python -m segwh.spark_cluster stop --dir $(SPARK_CLUSTER_DIR)
	rm -rf build target logs

bench: venv ## Benchmark and its targets (BENCH_ARGS='--customers 100000 --publish'; docs/bench.md)
	$(BIN)/python -m segwh.bench $(BENCH_ARGS)
