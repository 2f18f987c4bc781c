# Two entry points for a fresh machine with only Python and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench scorecard clean

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

# Timing and memory figures (slow; run on a quiet machine). Each script prints its table.
bench: $(STAMP)
	$(BIN)/python benchmarks/frontier_vs_negmas.py
	$(BIN)/python benchmarks/frontier.py
	$(BIN)/python benchmarks/war.py
	$(BIN)/python benchmarks/robust.py
	$(BIN)/python benchmarks/negotiation_vs_negmas.py

# The backtest of the bundled historical cases, written into docs/explanation/validation.md.
scorecard: $(STAMP)
	$(BIN)/python benchmarks/scorecard.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
