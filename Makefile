# WardBrief developer commands. `make run` and `make test` are the two README commands; both create .venv if needed.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test journeys lint bench bundle smoke clean lock

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# every install is pinned by constraints.txt (the versions CI passed with); `make lock` refreshes it
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c constraints.txt

$(VENV)/.run-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e ".[dev]"
	touch $@ $(VENV)/.run-installed

$(VENV)/.packaging-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e ".[packaging]"
	touch $@

## run: install, load the bundled demo data and open the app (with no display: write the demo packs)
run: $(VENV)/.run-installed
	$(BIN)/wardbrief demo

# pytest-xdist workers: every core for the headless suite (2 on CI); a test file stays on one worker (loadfile), so a
# module's fixtures are made once. The journeys mostly wait on a real display, so they take 2 workers, each on an Xvfb
# of its own (one process on a display you name with WARDBRIEF_JOURNEY_DISPLAY). WORKERS=0 runs in one process.
WORKERS ?= auto
JOURNEY_WORKERS ?= $(if $(WARDBRIEF_JOURNEY_DISPLAY),0,2)

## test: install the dev extra, then ruff, mypy, the whole pytest suite headless, then the journeys on a real display
test: $(VENV)/.dev-installed
	bash .ci/test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadfile $(PYTEST_ARGS)
	$(MAKE) --no-print-directory journeys

## journeys: tests/journeys on a private Xvfb (started by its fixtures) with the desktop (xcb) platform and real
## input (xdotool); a process of their own, as Qt picks its platform once. Without Xvfb/xdotool they skip, but
## under CI=true they fail. WARDBRIEF_JOURNEY_DISPLAY=:N uses your own X server; WARDBRIEF_SHOTS=docs/screenshots
## retakes the user guide's screenshots.
journeys: $(VENV)/.dev-installed
	QT_QPA_PLATFORM=xcb $(BIN)/python -m pytest -q -n $(JOURNEY_WORKERS) --dist loadfile tests/journeys $(JOURNEY_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

## bundle: build the one-folder app dist/WardBrief/ and dist/WardBrief-<version>-<platform>.zip (PyInstaller)
bundle: $(VENV)/.packaging-installed $(VENV)/.run-installed
	$(BIN)/python packaging/build.py

## smoke: build the bundle, then run a read-only copy of it (self-test, CLI, worker processes) in a fresh home
smoke: bundle
	$(BIN)/python packaging/smoke_test.py

## lock: re-resolve every dependency to its newest allowed version in a fresh venv and write constraints.txt
lock:
	rm -rf .venv-lock
	$(PY) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[dev,packaging]"
	{ echo "# Exact versions every install uses (pip -c): the versions CI last passed with. Regenerate with \`make lock\`"; \
	  echo "# after changing pyproject.toml's dependencies; see README \"Upgrading dependencies\"."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e'; } > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
