# Two commands on a fresh Debian machine: `make demo` and `make test`.
# Each creates the virtualenv, installs the project and finds (or installs) Chromium first.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup chromium demo test soak lint bench baselines

setup: $(STAMP) chromium

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

chromium: $(STAMP)
	@VENV=$(VENV) bash scripts/ensure-chromium.sh

demo: setup
	$(VENV)/bin/posc demo

lint: $(STAMP)
	$(VENV)/bin/ruff check robots flows mock_portal tests benchmarks

# Two test processes: most tests wait on a browser or a portal, and the machine has two cores;
# a process that runs out of tests takes some of the other's (a few tests take minutes).
test: setup lint
	$(VENV)/bin/pytest -m "not soak" -n 2 --dist worksteal $(PYTEST_ARGS)

soak: setup
	$(VENV)/bin/pytest -m soak $(PYTEST_ARGS)

baselines: setup
	$(VENV)/bin/pytest tests/portal -m visual --update-baselines

bench: setup
	$(PY) benchmarks/throughput.py
