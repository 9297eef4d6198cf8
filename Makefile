# The two commands a newcomer needs: `make run` and `make test`. See README.md.
# The interpreter for .venv: python3.11 when it runs, else python3; any 3.11 or newer works, e.g.
# `PYTHON=python3.13 make test`.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3.11 python3; do $$p -c '' 2>/dev/null && command -v $$p && break; done)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The X.Y version .venv was made with; rewritten only when it changes, so the stamp follows it.
VENV_VERSION := $(VENV)/.python-version
PY_VERSION := import sys; print("%d.%d" % sys.version_info[:2])
MANAGE := $(BIN)/python manage.py

.PHONY: install run test lint format messages worker beat bench wheel-check clean FORCE

# Checked on every run: .venv is made again when its python no longer starts (the interpreter it
# was made from moved or was removed) or is another X.Y version than $(PYTHON).
$(VENV_VERSION): FORCE
	@want=$$('$(PYTHON)' -c '$(PY_VERSION)' 2>/dev/null) || { \
	  echo "make: no working Python at PYTHON='$(PYTHON)'; install Python 3.11 or newer or set PYTHON" >&2; \
	  exit 1; }; \
	case "$$want" in 2.*|3.[0-9]|3.10) \
	  echo "make: PYTHON='$(PYTHON)' is Python $$want; the project needs 3.11 or newer" >&2; \
	  exit 1;; esac; \
	have=$$($(BIN)/python -c '$(PY_VERSION)' 2>/dev/null) || have=; \
	if [ "$$have" != "$$want" ]; then \
	  echo "make: making $(VENV) with $(PYTHON) (Python $$want)$${have:+, replacing Python $$have}"; \
	  rm -rf $(VENV) && '$(PYTHON)' -m venv $(VENV) || exit 1; \
	fi; \
	[ "$$(cat $(VENV_VERSION) 2>/dev/null)" = "$$want" ] || echo "$$want" > $(VENV_VERSION)

$(STAMP): pyproject.toml $(VENV_VERSION)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Only the virtual environment with the project and its dev tools (the other targets do it too).
install: $(STAMP)

## The portal on http://127.0.0.1:8000 with demo data (SQLite, console e-mail, no Redis needed).
run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) runserver 127.0.0.1:8000

## Lint and the whole test suite, against DATABASE_URL / CELERY_BROKER_URL when set.
test: $(STAMP) lint
	$(BIN)/pytest $(PYTEST_ARGS)

## Style (ruff), the one-way dependencies between apps (import-linter) and the types of the
## services, selectors and workflow tables (mypy with django-stubs).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Collect new strings into locale/id/LC_MESSAGES/django.po and compile it (needs gettext).
messages: $(STAMP)
	$(MANAGE) makemessages -l id --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	$(MANAGE) compilemessages -l id --ignore=.venv

## The national catalog at 200.000 publications, 571 offices and datasets of 2.500 variables,
## in-process and over HTTP (gunicorn, wrk), each beside its floor; the invoice expiry sweep
## over 1.000.000 invoices and receipt rendering; the IKM report (page and PDF) over a year of
## 100.000 ratings; the cut of microdata from a 1.000.000-record SPSS master.
## Uses BENCH_DATABASE_URL (PostgreSQL recommended), else var/bench.sqlite3.
bench: $(STAMP)
	export DATABASE_URL="$${BENCH_DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}" DJANGO_DEBUG=false; \
	$(MANAGE) migrate --noinput --verbosity 0 && \
	$(MANAGE) catalog_bench_seed && \
	$(MANAGE) catalog_bench && \
	$(MANAGE) catalog_http_bench && \
	$(MANAGE) billing_bench && \
	$(MANAGE) feedback_bench && \
	$(MANAGE) orders_cut_bench

worker: $(STAMP)
	$(BIN)/celery -A silastik worker -l INFO

beat: $(STAMP)
	$(BIN)/celery -A silastik beat -l INFO --schedule var/celerybeat-schedule

## Build the wheel and check that every app package, with the files inside it, is in it.
wheel-check: $(STAMP)
	PYTHON=$(BIN)/python scripts/check_wheel.sh

## Remove .venv and var/ (the SQLite database, uploads, collected static files).
clean:
	rm -rf $(VENV) var
