# Newsroom: `make run` for a living site, `make test` for the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 we can find: pyenv's shims honour .python-version (3.13) inside the repo.
FIND_PYTHON := for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 \
	$$HOME/.pyenv/versions/3.12*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do \
	  if command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	  then command -v "$$p"; break; fi; done

.PHONY: run test pytest lint migrate demo bench clean

$(VENV)/.installed: pyproject.toml
	@python=$$($(FIND_PYTHON)); \
	if [ -z "$$python" ]; then \
	  echo "Newsroom needs Python 3.12 or newer and found none (tried python3.13, python3.12, python3, pyenv)." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.13') or run: make PYTHON_BIN=/path/to/python3.13 ..." >&2; exit 1; fi; \
	if [ -n "$(PYTHON_BIN)" ]; then python="$(PYTHON_BIN)"; fi; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then rm -rf $(VENV); fi; \
	[ -x $(PY) ] || { echo "Creating $(VENV) with $$python ($$($$python --version))"; "$$python" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# The background worker (photo renditions, docs/photos.md) runs beside the server; Ctrl-C stops both.
run: demo
	@$(PY) manage.py ensure_admin --address $(HOST):$(PORT)
	@$(PY) manage.py queue_renditions
	@# its own session: Ctrl-C reaches the server only, and the trap stops the worker once, after its task
	@setsid $(PY) manage.py db_worker --no-reload --interval 1 -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Background worker started (photo renditions); Ctrl-C stops it and the server."; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed pytest

# The suite alone, with no install step (CI calls it again with DATABASE_URL set).
pytest:
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# `make bench`: 100,000 stories, 1,000,000 views, every page loaded, imports, faults (about 10 minutes on 2 cores,
# 3 more the first time to build the data); `make bench SIZE=small`: 5,000 stories, short runs (about 5 minutes).
# Figures print next to their targets and go to var/bench/results.json; see docs/benchmarks.md.
SIZE ?= full
bench: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	@command -v wrk >/dev/null || apt-get install -y wrk >/dev/null || { echo "make bench needs wrk (apt-get install wrk)" >&2; exit 1; }
	@command -v redis-server >/dev/null || { echo "make bench needs redis-server (apt-get install redis-server)" >&2; exit 1; }
	$(PY) bench/run.py --size $(SIZE)

clean:
	rm -rf $(VENV) var media staticfiles artifacts
