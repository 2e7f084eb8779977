# The two commands: `make run` serves the app with demo data, `make test` checks everything.
# Only Python 3.13 and make are needed: uv is installed on first use if it is missing.
SHELL := /bin/bash
# `uv --version` must run, not merely resolve: a pyenv shim can exist for another Python.
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo "python3 -m uv")
RUN := $(UV) run --frozen

.PHONY: run test lint typecheck pytest install migrate seed smoke bench clean

run: install migrate seed  ## serve http://127.0.0.1:8000 with a Celery worker and beat
	@echo "Serving http://127.0.0.1:8000 - log in as candidate1@demo.test / demo-pass-123 (Ctrl-C stops all)"
	$(RUN) honcho start -f Procfile

install: .venv/.synced

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --user --quiet uv \
		|| python3 -m pip install --user --quiet --break-system-packages uv
	$(UV) sync --frozen
	@touch $@

migrate: install
	$(RUN) python manage.py migrate --noinput

seed: install
	$(RUN) python manage.py seed_demo

test: lint typecheck pytest  ## ruff, mypy and the whole pytest suite

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: install
	$(RUN) mypy

pytest: install
	$(RUN) pytest $(PYTEST_ARGS)

smoke: install  ## what `make run` does, on a fresh SQLite file, checked over HTTP
	$(RUN) python scripts/smoke_run.py

bench: install  ## the quick issue 12 benchmarks on PostgreSQL, one table (under 5 minutes)
	$(RUN) python bench/all.py

clean:
	rm -rf var db.sqlite3 .venv
