# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py

.PHONY: install run test lint format messages worker beat bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

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

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Collect new strings into locale/id/LC_MESSAGES/django.po and compile it (needs gettext).
messages: $(STAMP)
	$(MANAGE) makemessages -l id --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	$(MANAGE) compilemessages -l id --ignore=.venv

## Server time of the catalog at 20.000 publications and 300 datasets × 500 variables;
## the invoice expiry sweep over 1.000.000 invoices and receipt rendering; the IKM report
## (page and PDF) over a year of 100.000 ratings.
## Uses BENCH_DATABASE_URL (PostgreSQL recommended), else var/bench.sqlite3.
bench: $(STAMP)
	export DATABASE_URL="$${BENCH_DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}" DJANGO_DEBUG=false; \
	$(MANAGE) migrate --noinput --verbosity 0 && \
	$(MANAGE) catalog_bench_seed && \
	$(MANAGE) catalog_bench && \
	$(MANAGE) billing_bench && \
	$(MANAGE) feedback_bench

worker: $(STAMP)
	$(BIN)/celery -A silastik worker -l INFO

beat: $(STAMP)
	$(BIN)/celery -A silastik beat -l INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var
