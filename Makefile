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

test: install
	$(BIN)/pytest

.PHONY: install demo test
