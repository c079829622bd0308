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
	$(LOCAL_ENV) $(MANAGE) compilemessages -l de -l en --ignore=.venv --ignore=var > /dev/null

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

# Developer helpers: refresh the catalogs after adding strings, format, check migrations.
# The msgids are English: the English catalog is filled with msgstr = msgid wherever it is empty
# (msgen); a fuzzy guess is emptied first, so only hand-written English differs from the msgid.
EN_CATALOG := hagen_isek/locale/en/LC_MESSAGES/django.po
messages: $(INSTALLED)
	$(LOCAL_ENV) $(MANAGE) makemessages -l de -l en --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=static --ignore=bench --ignore=tests
	sed -i -e '1,10{/^#, fuzzy$$/d}' -e 's/charset=CHARSET/charset=UTF-8/' -e 's/^"Language: \\n"/"Language: en\\n"/' \
		-e 's/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n != 1);/' $(EN_CATALOG)
	msgattrib --clear-fuzzy --empty -o $(EN_CATALOG) $(EN_CATALOG)
	msgen -o $(EN_CATALOG) $(EN_CATALOG)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations: $(INSTALLED)
	$(LOCAL_ENV) $(MANAGE) makemigrations --check --dry-run
