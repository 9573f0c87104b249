# dxday — set-up, run and test. `make run` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
DXDAY := $(VENV)/bin/dxday
STAMP := $(VENV)/.stamp-installed
APT_STAMP := var/.stamp-system
# Static files are collected where the settings put them: $DXDAY_VAR_DIR/static when set.
STATIC_STAMP := $(or $(DXDAY_VAR_DIR),var)/static/.stamp
VENDOR := static/vendor
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: run test setup system lint bench clean messages test-postgres services

run: setup ## set up and serve on http://127.0.0.1:$(PORT)/ with a background worker
	$(DXDAY) migrate --no-input -v 0
	$(DXDAY) load_reference
	@echo "dxday: http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web server and the worker)"
	DXDAY_PORT=$(PORT) exec $(VENV)/bin/honcho start -f Procfile --no-prefix

test: setup ## set up and run the whole test suite (SQLite), after the linters
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache  # apps depend downward only: pyproject.toml [tool.importlinter]
	$(VENV)/bin/pytest -q

test-postgres: setup services ## the whole suite against PostgreSQL (DATABASE_URL, default 127.0.0.1/test)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(VENV)/bin/pytest -q

# PostgreSQL (127.0.0.1:5432, trust, database `test`) and Redis (127.0.0.1:6379) for the
# PostgreSQL pass and the Redis tests: the machine's own when they answer; otherwise Debian's
# packages are installed and throwaway servers started (nothing kept on disk for Redis).
services:
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then :; else \
	  echo "PostgreSQL does not answer on 127.0.0.1:5432: starting a throwaway one"; \
	  command -v pg_lsclusters >/dev/null || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client; }; \
	  version=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	  pg_lsclusters -h | grep -q "^$$version main" || pg_createcluster $$version main; \
	  hba=/etc/postgresql/$$version/main/pg_hba.conf; \
	  grep -q "dxday throwaway" $$hba || sed -i "1i host all all 127.0.0.1/32 trust # dxday throwaway" $$hba; \
	  pg_ctlcluster $$version main start 2>/dev/null || pg_ctlcluster $$version main reload; \
	  for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	  runuser -u postgres -- psql -qtAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 || \
	    runuser -u postgres -- createdb test; \
	fi
	@if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then :; else \
	  echo "Redis does not answer on 127.0.0.1:6379: starting a throwaway one"; \
	  command -v redis-server >/dev/null || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
	  for i in $$(seq 30); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.5; done; \
	fi

setup: system $(STAMP) $(VENDOR)/.stamp $(MO) $(STATIC_STAMP)

# System packages a fresh Debian machine may lack: Node.js and npm (front-end build),
# gettext (compiling translations), the venv module, Chromium (browser tests; Playwright
# drives Debian's build, it never downloads one) and its headless shell (the kit check's
# browser pass), Pango and Liberation fonts (PDF reports:
# Liberation Serif has Times New Roman's metrics and every Vietnamese glyph), LibreOffice Writer
# without a GUI (the report test opens the DOCX as a Word user would and converts it to PDF),
# DejaVu, Open Sans, Lato and Roboto fonts (wordmarks of the kit check's real-artwork corpus,
# tests/scanner/corpus/).
system: $(APT_STAMP)
$(APT_STAMP): Makefile  # a package added here is installed on existing checkouts too
	@mkdir -p var
	@missing=""; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromium-headless-shell >/dev/null || missing="$$missing chromium-headless-shell"; \
	[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-BoldItalic.ttf ] || missing="$$missing fonts-dejavu-extra"; \
	[ -e /usr/share/fonts/truetype/open-sans/OpenSans-CondBold.ttf ] || missing="$$missing fonts-open-sans"; \
	[ -e /usr/share/fonts/truetype/lato/Lato-Heavy.ttf ] || missing="$$missing fonts-lato"; \
	[ -e /usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf ] || missing="$$missing fonts-roboto-unhinted"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@touch $@

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $@

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-fund --no-audit --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	mkdir -p $(VENDOR)/leaflet && cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	@touch $@

%.mo: %.po
	msgfmt --check -o $@ $<

$(STATIC_STAMP): $(VENDOR)/.stamp requirements.lock dxday/settings.py $(shell find static -type f -not -path '*/vendor/*' 2>/dev/null) | $(STAMP)
	$(DXDAY) collectstatic --no-input -v 0
	@touch $@

messages: $(STAMP) ## extract translatable strings into locale/*/django.po
	$(DXDAY) makemessages -l vi -l en --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*'

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# The benchmarks of docs/benchmarks.md, each printing its numbers. Those that need the
# national-scale dataset share one, built once in $(BENCH_VAR) (remove it to build it again);
# the others make their own. BENCH_LONG=1 adds the long runs (several minutes each): the
# locust load scenarios (bench/load.py; "deadline" submits plans, so it builds its own data)
# and the PostgreSQL restart drill (root only).
# bench/dataset.py builds the data and bench/locustfile.py is load.py's scenarios: not run alone.
BENCH_VAR ?= var/bench
BENCH_ENV = DXDAY_VAR_DIR=$(abspath $(BENCH_VAR)) DATABASE_URL=sqlite:///$(abspath $(BENCH_VAR))/db.sqlite3
.PHONY: bench-tools
bench: setup services bench-tools $(BENCH_VAR)/.stamp ## the benchmarks of docs/benchmarks.md
	$(BENCH_ENV) $(DXDAY) migrate --no-input -v 0  # a dataset built before a new migration
	$(PY) bench/foundation.py --postgres
	$(PY) bench/plans.py
	$(BENCH_ENV) $(PY) bench/workbook.py
	$(BENCH_ENV) $(PY) bench/call.py
	$(BENCH_ENV) $(PY) bench/report.py
	$(PY) bench/portal.py --var $(abspath $(BENCH_VAR))
	$(PY) bench/scanner.py
	$(PY) bench/kit_quality.py
ifeq ($(BENCH_LONG),1)
	$(PY) bench/load.py public --db sqlite --var $(abspath $(BENCH_VAR)) --duration 300
	$(PY) bench/load.py surge --db sqlite --editors 100 --within 90
	$(PY) bench/load.py deadline --db sqlite --duration 180
	$(PY) bench/drill_postgres.py
endif

$(BENCH_VAR)/.stamp: | $(STAMP)
	rm -rf $(BENCH_VAR) && mkdir -p $(BENCH_VAR)
	$(BENCH_ENV) $(DXDAY) migrate --no-input -v 0
	$(BENCH_ENV) $(DXDAY) load_reference
	$(BENCH_ENV) $(PY) bench/dataset.py
	@touch $@

# What only the benchmarks need, from Debian: wrk (bench/portal.py's load).
bench-tools:
	@command -v wrk >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/static var/.stamp-system
