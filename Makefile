# One entry point for set-up, the main job and the tests.
# `make serve` validates and loads the curated data into the embedded store and serves the API
# and the graph views; `make test` runs the suite (it starts its own Neo4j and FalkorDB).
VENV      := .venv
PY        := $(VENV)/bin/python
PYTHON312 := $(shell bash tools/find-python.sh)
STAMP     := $(VENV)/.installed

.PHONY: venv serve run test check quick lint fmt validate export neo4j docs clean

venv: $(STAMP)

# Quiet unless something fails: the pip and setuptools output goes to .venv/install.log.
$(STAMP): pyproject.toml
	@echo "setting up $(VENV) (Python: $(PYTHON312)): mineralkg and its dependencies; a few minutes the first time"
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	@$(PY) -m pip install --disable-pip-version-check -q --upgrade pip > $(VENV)/install.log 2>&1 \
		&& $(PY) -m pip install --disable-pip-version-check -q -e '.[dev]' >> $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; echo "set-up failed (log: $(VENV)/install.log)"; exit 1; }
	@touch $(STAMP)
	@echo "$(VENV) is ready"

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
	$(VENV)/bin/python -m pytest --run-slow

# Lint, format, types and the import layers (tools/check_layers.py); CI runs it before the tests.
check: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/python tools/check_layers.py

# The fast inner loop: everything but the tests that need Neo4j or a browser.
quick: venv
	$(VENV)/bin/python -m pytest -q -n auto --dist loadfile -m "not neo4j and not browser"

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
