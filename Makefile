# Upstream's tasks. `make help` lists them. The README's two commands are `make demo` and
# `make test`; everything they need is installed by `make install`.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= var
PEOPLE ?= 20000
SEED ?= 42
HOST ?= 127.0.0.1
PORT ?= 8000
export UPSTREAM_DATA_DIR ?= $(DATA_DIR)

.DEFAULT_GOAL := help
.PHONY: help install system-deps python-deps frontend demo city pipelines serve test lint format bench clean

help: ## List the tasks
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}'

install: system-deps python-deps frontend ## Install everything: Debian packages, the virtual environment, front-end assets

system-deps: ## Install Debian's Chromium for the browser tests (needs root; skipped when present)
	@scripts/install-system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

python-deps: $(BIN)/python ## Create .venv and install Upstream with its development tools
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"

frontend: ## Install GOV.UK Frontend, MoJ Frontend and axe-core from the npm registry
	npm ci --no-audit --no-fund --loglevel=error

demo: install ## The main job: install, generate the synthetic city, run the pipelines, start the web app with demo accounts
	$(BIN)/upstream demo --people $(PEOPLE) --seed $(SEED) --host $(HOST) --port $(PORT)

city: ## Generate the synthetic city (PEOPLE=20000 SEED=42) into $(DATA_DIR)/city
	$(BIN)/upstream synth --people $(PEOPLE) --seed $(SEED) --out $(DATA_DIR)/city

pipelines: ## Run every pipeline that exists so far over the synthetic city
	$(BIN)/upstream pipelines --city $(DATA_DIR)/city

serve: ## Start the web app with one demo account per role (prints the URL and the logins)
	$(BIN)/upstream demo-accounts
	$(BIN)/upstream serve --host $(HOST) --port $(PORT)

test: ## Run the whole test suite (SQLite, PostgreSQL when UPSTREAM_TEST_DATABASE_URL is set, browser, lint, types)
	@scripts/test

lint: ## ruff format check, ruff lint and mypy
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: ## Format the code with ruff and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: ## Run the benchmarks and print their tables (slow: builds the 1.1M-person city)
	@for bench in bench/bench_*.py; do echo "== $$bench"; $(BIN)/python $$bench || exit 1; done

clean: ## Remove generated data (the synthetic city, databases, screenshots)
	rm -rf $(DATA_DIR)
