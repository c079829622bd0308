# The two commands of the README: `make run` and `make test`. Everything else is set-up they share.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
INSTALLED := $(VENV)/.installed

# A local run over plain HTTP on the loopback, with demo accounts and e-mails on the console.
LOCAL_ENV := DJANGO_DEBUG=false DJANGO_HTTPS=false DJANGO_DEMO=true DJANGO_STAFF_MFA_REQUIRED=false \
	DJANGO_SITE_URL=http://127.0.0.1:$(PORT) \
	DJANGO_EMAIL_BACKEND=console DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,[::1] \
	DJANGO_SECRET_KEY="$$(cat var/secret_key)"

.PHONY: run test setup messages lint format migrations

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(60))" > $@
	chmod 600 $@

setup: $(INSTALLED) var/secret_key
	$(LOCAL_ENV) $(MANAGE) compilemessages -l de --ignore=.venv --ignore=var > /dev/null

run: setup
	$(LOCAL_ENV) $(MANAGE) migrate --noinput
	$(LOCAL_ENV) $(MANAGE) createcachetable
	$(LOCAL_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(LOCAL_ENV) $(MANAGE) seed_portal
	$(LOCAL_ENV) $(MANAGE) create_demo_data
	@echo "Portal: http://127.0.0.1:$(PORT)/   (Strg+C beendet den Server)"
	$(LOCAL_ENV) $(MANAGE) runserver --noreload 127.0.0.1:$(PORT)

test: setup
	bash .ci/ensure-chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# Developer helpers: refresh the German catalog after adding strings, format, check migrations.
messages: $(INSTALLED)
	$(LOCAL_ENV) $(MANAGE) makemessages -l de --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=static --ignore=bench --ignore=tests

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations: $(INSTALLED)
	$(LOCAL_ENV) $(MANAGE) makemigrations --check --dry-run
