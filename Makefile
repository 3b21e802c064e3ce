# kyodaku: two commands.
#   make run   set up, load the demo registry into SQLite, run the main job
#   make test  set up and run the whole test suite (PostgreSQL too, when it can be started)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/kyodaku demo

test: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	@if [ -z "$$KYODAKU_TEST_POSTGRES_URL" ] && [ -x .ci/postgres.sh ]; then \
	  url=$$(.ci/postgres.sh 2>/dev/null | sed -n 's/^KYODAKU_TEST_POSTGRES_URL=//p' | tail -n 1); \
	  if [ -n "$$url" ]; then echo "PostgreSQL tests against $$url"; export KYODAKU_TEST_POSTGRES_URL="$$url"; \
	  else echo "PostgreSQL not available here: its tests will be skipped (.ci/run installs it)"; fi; \
	  $(BIN)/pytest -q -p no:cacheprovider; \
	else $(BIN)/pytest -q -p no:cacheprovider; fi

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(VENV)/.installed
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
