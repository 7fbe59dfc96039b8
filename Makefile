# One entry point for set-up, the main job and the tests.
# `make serve` validates and loads the curated data into the embedded store and serves the API
# and the graph views; `make test` runs the suite (it starts its own Neo4j and FalkorDB).
VENV      := .venv
PY        := $(VENV)/bin/python
PYTHON312 := $(shell bash tools/find-python.sh)
STAMP     := $(VENV)/.installed

.PHONY: venv serve run test lint fmt validate export neo4j docs clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

serve: venv
	$(VENV)/bin/mineralkg load
	$(VENV)/bin/mineralkg serve

run: serve

export: venv
	$(VENV)/bin/mineralkg export --format turtle -o var/export/mineralkg.ttl

neo4j:
	bash tools/neo4j/neo4j.sh run

docs: venv
	$(VENV)/bin/python tools/update_readme.py

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

# Execute every notebook in notebooks/ on a fresh embedded store and render it to HTML in var/notebooks/.
.PHONY: notebooks
notebooks: venv
	@mkdir -p var/notebooks
	$(VENV)/bin/jupyter nbconvert --to html --execute \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 \
		--output-dir var/notebooks notebooks/*.ipynb
