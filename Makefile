# Mediagraph: `make serve` and `make test` bootstrap everything they need on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | md5sum | cut -c1-12)

.PHONY: serve test worker migrate bootstrap system-deps bench lock clean web

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -r requirements.lock
	@rm -f $(VENV)/.installed-*; touch $@

system-deps:
	@bash tools/system-deps.sh

# The browser files (graphql-ws, GraphiQL with its explorer, React, Swagger UI) come from npm, pinned by the lock file,
# and are copied with their licences into web/vendor/, which the app serves: no page loads a script from a CDN.
# --ignore-scripts: no install script runs (swagger-ui-dist's analytics dependency would phone home).
WEB := web/vendor/VERSIONS.json
$(WEB): tools/web/package-lock.json tools/web/vendor.mjs
	@command -v npm >/dev/null || { echo "Mediagraph needs Node.js and npm for its browser files (apt-get install nodejs npm)" >&2; exit 1; }
	cd tools/web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	node tools/web/vendor.mjs

web: $(WEB)

bootstrap: system-deps $(STAMP) $(WEB)

migrate: bootstrap
	$(BIN)/python app.py migrate

serve: bootstrap
	$(BIN)/python app.py migrate
	$(BIN)/python app.py serve

worker: bootstrap
	$(BIN)/python app.py worker

# Azurite (the Azure Blob emulator the export tests start) comes from npm, pinned by its lock file.
AZURITE := tools/azurite/node_modules/.package-lock.json
$(AZURITE): tools/azurite/package-lock.json
	@command -v npm >/dev/null || { echo "the tests need Node.js and npm (apt-get install nodejs npm)" >&2; exit 1; }
	cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The suite runs in TEST_WORKERS pytest-xdist processes: most of a test's time is spent waiting on a server, a worker
# process or ffmpeg, so three processes keep two cores busy (each starts its own servers and emulators; the
# generated media are made once per run and shared).
TEST_WORKERS ?= 3
test: bootstrap $(AZURITE)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: bootstrap
	$(BIN)/python -m bench

# Re-resolve the pinned set from pyproject.toml (run by hand when dependencies change).
lock:
	rm -rf /tmp/mediagraph-lock && $(PY) -m venv /tmp/mediagraph-lock
	/tmp/mediagraph-lock/bin/pip install -q ".[test]"
	# rapidocr asks for the GUI opencv-python, which would overwrite the headless build: keep headless only.
	/tmp/mediagraph-lock/bin/pip uninstall -y -q opencv-python
	/tmp/mediagraph-lock/bin/pip install -q --force-reinstall --no-deps "opencv-python-headless<5"
	(echo "# Pinned set for a reproducible install (installed with --no-deps: it is complete); regenerate with \`make lock\`."; \
	  /tmp/mediagraph-lock/bin/pip freeze --exclude-editable | grep -v '^mediagraph') > requirements.lock

clean:
	rm -rf $(VENV) data
