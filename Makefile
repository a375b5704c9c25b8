# The two commands of the README:
#   make lab    set up and open the course in JupyterLab
#   make test   set up and run the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The widget's JavaScript tools (TypeScript, ESLint, esbuild), pinned by package-lock.json.
NODE_STAMP := node_modules/.installed
NODE_BIN := node_modules/.bin
STATIC := reader_ext/widget/static

.PHONY: lab test setup node browser postgresql check jstest pytest bundle protocol bench demo-hub clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Node and npm (Debian's are enough), then exactly the locked packages.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$SUDO apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node: $(NODE_STAMP)

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

check: setup node
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m reader_ext.widget.typescript --check
	$(NODE_BIN)/tsc --noEmit -p tsconfig.json
	$(NODE_BIN)/tsc --noEmit -p tsconfig.tests.json
	$(NODE_BIN)/eslint --max-warnings 0 .
	node scripts/bundle.mjs --check

# The browser modules' pure parts, on node's own test runner.
jstest: node
	node --test tests/js/*.test.js

pytest: setup node browser postgresql
	$(BIN)/pytest

test: check jstest pytest

# After changing reader_ext/widget/protocol.py: the browser's copy of the types.
protocol: setup
	$(BIN)/python -m reader_ext.widget.typescript > $(STATIC)/protocol.d.ts

# After changing the browser modules: the one ES module the widget loads (committed).
bundle: node
	node scripts/bundle.mjs

# Class mode on this machine: PostgreSQL, JupyterHub, configurable-http-proxy and the class
# service on 127.0.0.1, a course of one instructor and three students; Ctrl+C stops it all.
demo-hub: setup node postgresql
	$(BIN)/python -m reader_ext.hub.demo

bench: setup node browser postgresql
	$(BIN)/python benchmarks/run.py --only render
	$(BIN)/python benchmarks/annotate_bench.py --large 100000
	$(BIN)/python benchmarks/collect_bench.py --scale 5000
	$(BIN)/python benchmarks/browser_bench.py
	$(BIN)/python benchmarks/class_bench.py
	$(BIN)/python benchmarks/report_bench.py
	$(BIN)/python benchmarks/summary.py

clean:
	rm -rf $(VENV) node_modules test-artifacts benchmarks/results
