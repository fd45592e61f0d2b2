# Rantai: `make run` serves the app on the embedded PostgreSQL; `make test` runs the whole suite
# on the same embedded server (or DATABASE_URL's) and Redis. Both build on `make install`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# `make run`: the embedded PostgreSQL (data in .pgdata/) unless DATABASE_URL is set, tasks
# in-process, e-mail to the console.
RUN_ENV := DEBUG=true REDIS_URL= CELERY_TASK_ALWAYS_EAGER=true \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

# `make test`: the test settings live in tests/environment.py (pytest loads it first); the same
# module runs the checks before pytest with those settings, on the same database. Redis is the
# real one; DATABASE_URL (unset: the embedded server) and REDIS_URL point elsewhere. This
# default is for `make services`; the tests' is the same.
REDIS_URL ?= redis://127.0.0.1:6379/1
WITH_TEST_ENV := $(BIN)/python -m tests.environment --

.PHONY: install run test lint format services chromium messages lock clean

install: $(VENV)/.installed node_modules/.installed locale/id/LC_MESSAGES/django.mo

# The compiled catalogue is built from the committed .po (no GNU gettext needed).
locale/id/LC_MESSAGES/django.mo: locale/id/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/python -c 'import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $< $@

# Installs exactly the locked versions, every file checked against its hash (pip itself too: the
# lock pins it). requirements*.txt list what Rantai asks for; `make lock` turns them into the locks.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Rantai needs Python 3.11"' \
		|| { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is required to install the front-end libraries (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(RUN_ENV) PORT=$(PORT) PYTHON=$(BIN)/python $(BIN)/python tools/embedded_pg.py -- tools/run_demo.sh

services:
	@bash tests/ensure_services.sh "$(DATABASE_URL)" "$(REDIS_URL)"

chromium:
	@bash tests/ensure_chromium.sh

test: install services chromium
	$(WITH_TEST_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(WITH_TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

format:
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages:
	DEBUG=true $(BIN)/python manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=node_modules --ignore=test-artifacts --ignore=bench --ignore=staticfiles
	$(BIN)/python -c 'import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' locale/id/LC_MESSAGES/django.po locale/id/LC_MESSAGES/django.mo

# Re-resolves the locks after an edit of requirements*.txt, keeping every other pin; upgrade all
# with `make lock LOCK_ARGS=--upgrade`, one with `LOCK_ARGS="--upgrade-package NAME"`. Resolved
# from PyPI alone (no local pip configuration), with the hashes of every file of each release,
# so the locks install on Linux x86_64 and aarch64 alike.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null \
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
