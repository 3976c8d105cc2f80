# Medvirk: `make run` serves the demo municipality, `make dev` the debug server without demo
# data, `make test` runs the whole suite (CONTRIBUTING.md has the rest).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
VENDOR := static/vendor
TRANSLATIONS := app/translations
# `make run` and `make dev` serve here; SITE_URL follows, so the links in e-mails work.
PORT ?= 5000
DEBUG_SERVER = SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" TRUSTED_HOSTS="$${TRUSTED_HOSTS:-localhost}" \
	$(FLASK) --debug run --host 127.0.0.1 --port $(PORT)

.PHONY: run test install vendor static translations extract migrate seed bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes, so a second `make run` starts fast.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.stamp: node_modules/.package-lock.json scripts/inter_css.py
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/designsystemet $(VENDOR)/inter/files $(VENDOR)/axe
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css $(VENDOR)/designsystemet/index.css
	cp node_modules/@digdir/designsystemet-css/dist/theme/designsystemet.css $(VENDOR)/designsystemet/theme.css
	cp node_modules/@digdir/designsystemet-web/dist/umd/index.js $(VENDOR)/designsystemet/web.js
	cp node_modules/@fontsource-variable/inter/files/inter-latin{,-ext}-wght-normal.woff2 $(VENDOR)/inter/files/
	$(BIN)/python scripts/inter_css.py > $(VENDOR)/inter/inter.css
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/axe.min.js
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	touch $@

# Every static file under a name that carries its content's hash, with Brotli and gzip copies,
# in static/dist (app/core/assets.py); rebuilt when a static file changes (static/vendor: its stamp).
STATIC_BUILD := static/dist/manifest.json
STATIC_SOURCES = $(shell find static -type f -not -path 'static/dist/*' -not -path 'static/vendor/*' -not -name '.*' 2>/dev/null)
$(STATIC_BUILD): $(VENDOR)/.stamp $(STATIC_SOURCES) app/core/assets.py | $(STAMP)
	$(FLASK) static build

static: $(STAMP) $(VENDOR)/.stamp $(STATIC_BUILD)

vendor: $(STAMP) $(VENDOR)/.stamp $(STATIC_BUILD)

translations: $(STAMP)
	$(BIN)/pybabel compile -d $(TRANSLATIONS) -f

# Extract strings and merge them into the nb, nn and en catalogues.
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot --no-location --sort-output app templates
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

migrate: $(STAMP)
	$(FLASK) db upgrade

run: install vendor translations migrate
	$(FLASK) seed-demo --if-empty
	$(DEBUG_SERVER)

# The debug server on the database as it is, without demo data: the fixed development
# SECRET_KEY, the Werkzeug debugger and reloader, and /dev/outbox for the e-mails written.
# PORT=5001 serves elsewhere.
.PHONY: dev
dev: install vendor translations migrate
	$(DEBUG_SERVER)

# The suite runs on every core (pytest-xdist); each worker has its own PostgreSQL and Redis
# database (tests/conftest.py), and the browser tests share one worker and one demo site.
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: install vendor translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# A local OpenID Connect provider (idp/server.js) shaped like ID-porten and a staff provider,
# for `make run` with OIDC_PROVIDERS set as README shows. Test accounts: kari, ola,
# staff-moderator, staff-admin (any other name makes a new person).
IDP_PORT ?= 9000
.PHONY: idp
idp: node_modules/.package-lock.json
	IDP_PORT=$(IDP_PORT) IDP_APP_URL=http://127.0.0.1:$(PORT) node idp/server.js

# The fuzz module runs in `make test` with a few examples per route; this runs it long
# (FUZZ_EXAMPLES per route and role, on PostgreSQL too when TEST_DATABASE_URL is set).
FUZZ_EXAMPLES ?= 300
.PHONY: fuzz
fuzz: install translations
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider -s $(PYTEST_ARGS)

# Schemathesis over the whole API document, long (API_CHECK_EXAMPLES per operation; on
# PostgreSQL too when TEST_DATABASE_URL is set). `make test` runs it with a few examples.
API_CHECK_EXAMPLES ?= 100
.PHONY: api-check
api-check: install translations
	API_CHECK_EXAMPLES=$(API_CHECK_EXAMPLES) $(BIN)/python -m pytest tests/api/test_schemathesis.py -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check app tests bench

bench: install vendor translations
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# One page profiled in-process (bench/profile.py): its SQL statements per request and the top
# functions. `make profile PAGE=/ideas STAFF=1 N=50 DB=postgresql://...` (DB: default DATABASE_URL).
PAGE ?= /ideas
N ?= 30
.PHONY: profile
profile: install translations
	$(BIN)/python -m bench.profile '$(PAGE)' -n $(N) $(if $(STAFF),--staff) $(if $(DB),--db '$(DB)')

clean:
	rm -rf $(VENV) node_modules $(VENDOR) static/dist .pytest_cache
