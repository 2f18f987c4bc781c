# Two entry points for a fresh machine with only Python and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench fuzz seeds scorecard clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ceasefire analyze
	$(BIN)/ceasefire report --out build/report.html

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

# The fuzz test at length: hostile scenario files through validate and analyze (FUZZ_EXAMPLES of them).
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	CEASEFIRE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) nice $(BIN)/pytest -q tests/scenario/test_fuzz.py

# Every property-based test for Hypothesis seeds SEEDS_FROM..SEEDS_TO-1, at low priority.
SEEDS_FROM ?= 0
SEEDS_TO ?= 100
seeds: $(STAMP)
	nice $(BIN)/python -m tests.seed_sweep $(SEEDS_FROM) $(SEEDS_TO)

# Timing and memory figures (slow; run on a quiet machine). Each script prints its table.
bench: $(STAMP)
	$(BIN)/python benchmarks/frontier_vs_negmas.py
	$(BIN)/python benchmarks/frontier.py
	$(BIN)/python benchmarks/war.py
	$(BIN)/python benchmarks/robust.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/negotiation_vs_negmas.py
	$(BIN)/python benchmarks/web_load.py --seconds 20

# The backtest of the bundled historical cases, written into docs/explanation/validation.md.
scorecard: $(STAMP)
	$(BIN)/python benchmarks/scorecard.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
