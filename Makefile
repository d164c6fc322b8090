# The README's two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install compile run test lint bench bundle wheelhouse clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(MAKE) compile
	touch $(STAMP)

# Bytecode for the package: with PYTHONDONTWRITEBYTECODE set (as on the lab PCs) Python never
# caches it, and every start would compile the whole package again. Up-to-date files are skipped.
compile:
	$(BIN)/python -m compileall -q -j 0 gradlab

run: install compile
	$(BIN)/gradlab

lint: install
	$(BIN)/ruff check gradlab tests
	$(BIN)/ruff format --check gradlab tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# Two cores: the suite runs in two processes, then the tests that time themselves run alone
# (a GUI-lateness or close-time bound means nothing next to a busy neighbour), collected only
# from the files tests/timing_files.txt lists (tests/conftest.py refuses a timing test found
# anywhere else). Work stealing: a worker that runs out takes the other one's pending tests,
# so neither core idles at the end.
# Bytecode is kept even where PYTHONDONTWRITEBYTECODE is set: otherwise every run recompiles the
# package in each of the two workers and each subprocess a test starts, and pytest rewrites and
# compiles every test module again (about 5 s of CPU per process).
PYTEST := PYTHONDONTWRITEBYTECODE= QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
test: install compile lint
	$(PYTEST) -n 2 --dist worksteal -m "not timing"
	$(PYTEST) -m timing $$(cat tests/timing_files.txt)

bench: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/benchmarks/bench_core.py

# The self-contained app for PCs without Python: dist/GradLab/ and dist/GradLab-<version>-linux-x86_64.tar.gz
bundle: $(VENV)/.bundle-installed
	packaging/build_bundle.sh $(BIN)/python

$(VENV)/.bundle-installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bundle]'
	touch $@

# Every wheel GradLab needs (Linux x86_64 and Windows amd64, Python 3.11) in dist/wheelhouse/
wheelhouse: install
	packaging/build_wheelhouse.sh $(BIN)/python

clean:
	rm -rf $(VENV) build dist *.egg-info
