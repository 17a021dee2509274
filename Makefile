# The README's two commands: `make run` and `make test`. Both install what they need (pinned) into .venv.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install demo lint pytest postgres terraform-check ui ui-test e2e bench clean

run: install ui demo
	$(BIN)/wtw serve --host $(HOST) --port $(PORT)

# The demo build (catalog, vectors, index under var/artifacts) is shared: the real-catalog tests and the browser
# tests reuse it instead of embedding the demo titles again, and `make run` after `make test` starts at once.
test: install postgres lint demo pytest terraform-check ui-test e2e

install: $(PY_STAMP)

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,onnx,ray,collab]'
	@rm -f $(VENV)/.installed-*; touch $@

demo: install
	$(BIN)/wtw build --demo --if-missing

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	.ci/mypy

# pytest exits 5 when it collects nothing: that is not a failure of the suite.
pytest: install
	$(BIN)/pytest || [ $$? -eq 5 ]

terraform-check:
	@if [ -f terraform/Makefile ]; then $(MAKE) -C terraform check; fi

ui:
	@if [ -f ui/package.json ]; then $(MAKE) -C ui build; fi

ui-test:
	@if [ -f ui/package.json ]; then $(MAKE) -C ui test; fi

e2e: install
	@if [ -f ui/package.json ]; then $(MAKE) -C ui e2e; fi

bench: install
	$(BIN)/wtw bench

clean:
	rm -rf $(VENV) var ui/node_modules ui/dist
