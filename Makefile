# One entry point for set-up, the main job and the tests.
# `make run` validates the curated data and writes the RDF export; `make test` runs the suite.
VENV      := .venv
PY        := $(VENV)/bin/python
PYTHON312 := $(shell bash tools/find-python.sh)
STAMP     := $(VENV)/.installed

.PHONY: venv run test check lint fmt validate export clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: venv
	$(VENV)/bin/mineralkg validate
	$(VENV)/bin/mineralkg export --format turtle -o var/export/mineralkg.ttl

validate: venv
	$(VENV)/bin/mineralkg validate

test: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
