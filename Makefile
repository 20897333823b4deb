# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= lsp.settings.local

.PHONY: run setup install messages test test-fast lint browser-deps clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

setup: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_schemes
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_assessments

run: setup
	$(PY) manage.py runlocal 127.0.0.1:$(PORT)

# Chromium for the browser tests (Debian's package; Playwright never downloads one) and
# poppler-utils, with which the tests read the text and images of generated PDFs.
browser-deps:
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "Install Debian's chromium and poppler-utils (sudo apt-get install chromium poppler-utils) for the tests." >&2; exit 1; fi; }

# The suite runs in one process per core (pytest-xdist), a test file per process at a time;
# each process has its own test database, private folder and cache. TEST_WORKERS=0: one process.
TEST_WORKERS ?= auto
test: install messages browser-deps
	DJANGO_SETTINGS_MODULE=lsp.settings.test $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=lsp.settings.test $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 private .test-private staticfiles test-artifacts
