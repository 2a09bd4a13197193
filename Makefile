# Two set-up commands: `make demo` (install, build the demo warehouse, print a trend) and `make test`.
# `make demo` installs only what yearwise needs to run; the test and notebook extras come with `make test`
# (and `make install`, the developer set-up).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

$(VENV)/.installed-main: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-main
	$(PIP) -e '.[test]'
	touch $@

install: $(VENV)/.installed-test

demo: $(VENV)/.installed-main
	$(BIN)/yearwise demo

test: install lint typecheck
	$(BIN)/pytest

# lint only, never `ruff format` (see pyproject.toml [tool.ruff])
lint: install
	$(BIN)/ruff check ingest warehouse queries yearwise tests benchmarks

# the type check, part of `make test`: mypy (pyproject.toml [tool.mypy]) on a non-editable install of the package in
# its own directory (setuptools' editable import hooks hide the yearwise.* package mapping from mypy). About 25 s
# from cold (a clean clone, as in CI), a few seconds when its cache in .venv is warm; both directories are per worktree
typecheck: install
	rm -rf $(TYPECHECK_DIR) && $(BIN)/pip install --quiet --no-deps --target $(TYPECHECK_DIR) .
	cd $(TYPECHECK_DIR) && $(abspath $(BIN))/mypy --config-file $(abspath pyproject.toml) \
		--cache-dir $(abspath $(VENV))/mypy-cache -p yearwise

# fast tests only: no corpus, demo, warehouse, process or chart (the rule: tests/conftest.py); about 10 s
test-fast: install
	$(BIN)/pytest -m "not slow"

TYPECHECK_DIR ?= $(abspath $(VENV))/typecheck

.PHONY: install demo test lint typecheck test-fast
