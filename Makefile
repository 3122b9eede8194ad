# The two commands of the README: `make demo` (set up, start Elasticsearch, build the model, index the
# sample archive, serve the UI) and `make test` (the whole suite against a real Elasticsearch).
SHELL := /bin/bash
VENV ?= .venv
ARSIP := $(VENV)/bin/arsip
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: setup demo test lint format es-start es-stop index-sample serve clean-data

setup:  # the runtime only (no torch, no test tools); `make test` installs the dev extra itself
	ARSIP_EXTRAS="$${ARSIP_EXTRAS-}" bash scripts/bootstrap.sh

es-start: setup
	$(ARSIP) es start

es-stop:
	$(ARSIP) es stop

index-sample: es-start
	$(ARSIP) index samples/archive/humas --source humas --collection siaran-pers
	$(ARSIP) index samples/archive/news --collection berita

serve:
	$(ARSIP) serve --host $(HOST) --port $(PORT)

demo: index-sample serve

test:
	bash scripts/run_tests.sh

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-logo

format:
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean-data:
	-$(ARSIP) es stop
	rm -rf .arsip
