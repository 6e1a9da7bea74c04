# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make serve   build and serve the site on http://127.0.0.1:8000
#   make test    run the whole test suite
#   make edit    edit the study files in the browser on http://127.0.0.1:8001/admin/
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
EDIT_PORT ?= 8001
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site test check lint bench schema lock clean edit cms-config

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The browser editor (Sveltia CMS), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

serve: $(STAMP) $(NODE_STAMP)  ## build and serve with live reload on 127.0.0.1:8000
	SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:8000

site: $(STAMP) $(NODE_STAMP)  ## build site/ (atomically: a failed build leaves the old site/)
	$(BIN)/mkdocs build

test: $(STAMP) $(NODE_STAMP)  ## lint, format check and type check, then every test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

edit: $(STAMP) $(NODE_STAMP)  ## edit the study files in the browser, no account needed (127.0.0.1:$(EDIT_PORT))
	$(BIN)/python -m generator edit --port $(EDIT_PORT)

cms-config: $(STAMP)  ## print the editor's config.yml, generated from the models
	$(BIN)/python -m generator cms-config

check: $(STAMP)  ## validate the content only
	$(BIN)/python -m generator check

schema: $(STAMP)  ## regenerate schema/study.schema.json from the models
	$(BIN)/python -m generator schema

bench: $(STAMP)  ## benchmarks (not part of make test)
	$(BIN)/python -m benchmarks

lock: $(STAMP)  ## re-pin every dependency after changing pyproject.toml
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Exact versions of everything the project and its tests use.\n# Regenerate: make lock' > requirements.lock

clean:
	rm -rf site .site-* .cache $(VENV) node_modules
