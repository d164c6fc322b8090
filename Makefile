# The README's two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/gradlab

lint: install
	$(BIN)/ruff check gradlab tests
	$(BIN)/ruff format --check gradlab tests
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/benchmarks/bench_core.py

clean:
	rm -rf $(VENV) build *.egg-info
