# Two set-up commands: `make demo` (install, build the demo warehouse, print a trend) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

$(BIN)/yearwise: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/yearwise

install: $(BIN)/yearwise

demo: install
	$(BIN)/yearwise demo

test: install
	$(BIN)/pytest

.PHONY: install demo test
