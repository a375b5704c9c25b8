# The two commands of the README:
#   make lab    set up and open the course in JupyterLab
#   make test   set up and run the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test setup browser postgresql check pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium (Playwright cannot download its own browser on our machines), and Noto
# fonts so that the reading's Devanagari and every theme render as they do for readers.
browser:
	@{ test -x /usr/bin/chromium && dpkg -s fonts-noto-core >/dev/null 2>&1; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$SUDO apt-get install -y -qq chromium fonts-noto-core; }

# Debian's PostgreSQL server: the store's tests start a throwaway cluster with its initdb and
# pg_ctl (tests/pg.py); nothing of the package's own cluster is used.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$SUDO apt-get install -y -qq postgresql; }

lab: setup
	$(BIN)/reader-ext lab lessons

check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: setup browser postgresql
	$(BIN)/pytest

test: check pytest

bench: setup browser
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/collect_bench.py
	$(BIN)/python benchmarks/browser_bench.py

clean:
	rm -rf $(VENV) test-artifacts benchmarks/results
