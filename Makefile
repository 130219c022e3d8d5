# Developer entry points for the hr_school_performance Odoo 19.0 addon.
# The logic lives in devtools/dev.sh; see README ("Two commands").
#
#   make demo                 private PostgreSQL (or PG* server) + database hsp_demo with demo
#                             data, served on http://127.0.0.1:8069, demo logins printed
#   make test                 the authority: deps, lint, fresh database, all addon tests,
#                             clean-log check; ends with "N passed, N failed"
#   make lint                 ruff check + ruff format --check + pylint-odoo (OCA mandatory)
#   make pytest DB=hsp_demo   quick loop: pytest-odoo against an installed database
#                             (extra args: PYTEST_ARGS="-k name --odoo-http")
#   make bench DB=hsp_demo    benchmark of cycle launch and the deadline cron (rolled back;
#                             SIZES="10 100 1000")
#   make bench DB=hsp_trust SCALE=trust   trust scale: populate 50 schools x 200 staff x 5 years
#                             once (SCHOOLS=, STAFF=, YEARS=), measure every role's screens
#   make pot                  regenerate i18n/hr_school_performance.pot with Odoo's exporter
#                             (throw-away database without demo data)
#   make screenshots          every demo role's screens in headless Chromium, from a running
#                             'make demo', into .build/screenshots/ (ROLES="payroll", SIZE=390x844)
#   make db                   start (the first time: initialise) the private cluster only
#   make stop / make clean    stop the private cluster / also delete .build/ and the cluster

SHELL := /bin/bash
DEV := bash devtools/dev.sh
DB ?= hsp_demo
PYTEST_ARGS ?=

.PHONY: demo test lint pytest bench pot deps db stop clean screenshots

demo:
	@$(DEV) demo

test:
	@$(DEV) test

lint:
	@$(DEV) lint

pytest:
	@$(DEV) pytest $(DB) $(PYTEST_ARGS)

screenshots:
	@python3 devtools/screenshots.py --size $(or $(SIZE),1440x900) --url http://127.0.0.1:$(or $(DEMO_PORT),8069) $(ROLES)

bench:
	@$(DEV) bench $(DB)

pot:
	@$(DEV) pot

deps:
	@$(DEV) deps

db:
	@$(DEV) db

stop:
	@$(DEV) stop

clean:
	@$(DEV) clean
