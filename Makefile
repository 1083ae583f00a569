# BackCare Kit. Every target bootstraps what it needs: a fresh clone needs only python3 (>= 3.10).
#   make dashboard        serve the Voila consult dashboard on http://127.0.0.1:8866 (PORT=9000 to change;
#                         POOL=20 keeps 20 kernels preheated for bursts of visitors, docs/deployment.md)
#   make learn            the lessons without code (Voila) on http://127.0.0.1:8867 (LEARN_PORT=)
#   make lab              JupyterLab on your own copy of the lessons, opening lesson 00 (LAB_PORT=)
#   make test             lint + unit, widget, notebook and real-browser tests
#   make lessons          write the lesson notebooks from content (backcare_lib/content/lessons/)
#   make bench            figures as ratios against a trivial notebook: one browser visitor, the cost of
#                         each step, then the capacity table (protocol-level visitors, Locust) and its chart
#   make hub              JupyterHub on http://127.0.0.1:8000 (PORT=8001 to change): anonymous
#                         visitors get the dashboard, learners sign in for the lessons
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8866
# make dashboard POOL=N: N kernels run the dashboard before anyone asks (Voila's preheated
# kernels); the pool refills POOL_FILL_DELAY seconds after a kernel is taken, so a burst's
# visitors do not compete with the refills for the CPU.
POOL ?= 0
POOL_FILL_DELAY ?= 60
PREHEAT_ARGS := $(if $(filter-out 0,$(POOL)),--VoilaConfiguration.preheat_kernel=True \
	--VoilaConfiguration.default_pool_size=$(POOL) --VoilaKernelManager.fill_delay=$(POOL_FILL_DELAY))
# make hub listens on 8000 unless PORT is given on the command line or in the environment.
HUB_PORT := $(if $(filter command line environment,$(origin PORT)),$(PORT),8000)
# JupyterHub's proxy (configurable-http-proxy) comes from npm, into deploy/jupyterhub/node_modules.
HUB_DIR := deploy/jupyterhub
HUB_PROXY := $(HUB_DIR)/node_modules/.bin/configurable-http-proxy
LEARN_PORT ?= 8867
LAB_PORT ?= 8888
# make learn opens the lessons in your browser; OPEN=no only serves them (tests, servers).
OPEN ?= yes
# make test: workers for the tests that need no browser; BROWSER_WORKERS=2 also runs the browser
# test files two at a time (faster, but they then compete for the cores: off by default).
PYTEST_WORKERS ?= 2
BROWSER_WORKERS ?= 1
CHROMIUM ?= /usr/bin/chromium
# Debian packages: the browser for the browser tests, pdftoppm for the PDF test, and the
# libraries and fonts WeasyPrint renders with.
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Voila finds our offline template through JUPYTER_PATH (it is also installed as package data).
export JUPYTER_PATH := $(CURDIR)/share/jupyter
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: install dashboard learn lab lessons test lint pytest bench system-deps hub hub-deps clean

# uv (from PyPI) installs the same packages as pip in a fraction of the time (it downloads in
# parallel); where uv cannot be had or fails, pip does it.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
		&& $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test,hub]' \
		|| $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,hub]'
	@touch $(STAMP)

install: $(STAMP)

dashboard: install
	$(BIN)/voila app/dashboard.ipynb --port=$(PORT) $(PREHEAT_ARGS)

lessons: install
	$(BIN)/python -m backcare_lib.lessons

# The lessons through Voila: no code shown, the dashboard's settings (voila.json) plus an
# index page of the lessons (app/learn/voila.py).
learn: install
	$(BIN)/voila notebooks --port=$(LEARN_PORT) \
		--Voila.config_file_paths=$(CURDIR)/app/learn --Voila.config_file_paths=$(CURDIR) \
		$$( [ "$(OPEN)" = yes ] && echo --Voila.open_browser=True )

# JupyterLab opens lesson 00 of your own copy of the lessons (beside your diary), so the
# repository's lessons never change; settings in app/lab/jupyter_lab_config.py.
lab: install
	$(BIN)/jupyter lab --config=$(CURDIR)/app/lab/jupyter_lab_config.py --port=$(LAB_PORT) \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

$(HUB_PROXY): $(HUB_DIR)/package.json $(HUB_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "make hub needs Node.js (20 or later) and npm" >&2; exit 1; }
	npm ci --prefix $(HUB_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

hub-deps: install $(HUB_PROXY)

# State (database, cookie secret, users' homes) goes to .hub/ (git ignores it); HUB_STATE=DIR
# to put it elsewhere. deploy/jupyterhub/jupyterhub_config.py lists the other settings.
hub: hub-deps
	BACKCARE_HUB_PORT=$(HUB_PORT) BACKCARE_HUB_STATE=$${HUB_STATE:-$(CURDIR)/.hub} \
		$(BIN)/jupyterhub -f $(HUB_DIR)/jupyterhub_config.py

system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: missing Debian packages:$$missing and not root to install them" >&2; exit 1; \
	else \
		echo "Missing Debian packages:$$missing"; \
		echo "Install them with: sudo apt-get install$$missing"; \
		echo "(the browser tests and the PDF test fail without them)"; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The tests that need no browser run on $(PYTEST_WORKERS) workers (pytest-xdist); then the browser
# tests (real servers and Chromium), by default one at a time so they never compete for the
# cores. Both parts always run; each prints its 15 slowest tests.
pytest: install system-deps hub-deps
	status=0; \
	$(BIN)/python -m pytest -p no:cacheprovider -n $(PYTEST_WORKERS) -m "not browser" \
		--durations=15 tests || status=$$?; \
	$(BIN)/python -m pytest -p no:cacheprovider -m browser --durations=15 \
		$(if $(filter-out 1,$(BROWSER_WORKERS)),-n $(BROWSER_WORKERS) --dist loadfile) \
		tests || status=$$?; \
	exit $$status
	@# Lesson 05 opens a diary: point it at a throw-away file, never the user's own.
	diary_dir=$$(mktemp -d) && BACKCARE_DIARY_PATH=$$diary_dir/diary.sqlite3 \
		$(BIN)/python -m pytest -p no:cacheprovider --nbval-lax notebooks app; \
		status=$$?; rm -rf "$$diary_dir"; exit $$status

test: lint pytest

bench: install system-deps
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/steps.py
	$(BIN)/python benchmarks/capacity.py
	$(BIN)/python benchmarks/report.py --chart docs/images/capacity.png

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts $(HUB_DIR)/node_modules
