# citkit — everyday commands. Only Python 3.11+ is needed; everything else is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve install install-dev migrate demo test lint format bench check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input

## make run: install, migrate, load the demo program into an empty database, then the
## development server and a background worker together (Ctrl-C stops both).
run: migrate
	$(BIN)/python manage.py load_demo --if-empty --address http://$(HOST):$(PORT)
	$(BIN)/python scripts/run-with-worker -- $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make serve: production. gunicorn (gunicorn.conf.py) and a worker, stopped together on
## SIGTERM or Ctrl-C. CITKIT_ENV is production unless set; see docs/operations.md.
serve: export CITKIT_ENV ?= production
serve: export CITKIT_BIND ?= $(HOST):$(PORT)
serve: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python scripts/run-with-worker -- $(BIN)/gunicorn --config gunicorn.conf.py citkit.wsgi

demo: migrate
	$(BIN)/python manage.py load_demo --address http://$(HOST):$(PORT)

## make test: lint, migrations up to date, the whole suite (browser tests included).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make bench: 50,000 officers and 1,000,000 audit entries (list pages and API), then roster imports of 1k/10k/50k rows.
bench: install-dev
	$(BIN)/python bench/lists.py
	$(BIN)/python bench/import.py

check-deploy: install
	CITKIT_ENV=production SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))') \
	ALLOWED_HOSTS=citkit.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
