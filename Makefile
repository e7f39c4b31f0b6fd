# FusionDesk: `make run` opens the GUI on the sample portfolio, `make test` runs every test headless.
# Both create the virtual environment and install on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench sample screenshot screenshots package package-test clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,postgres]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m fusiondesk --sample

# The layer contracts (pyproject.toml [tool.importlinter]) and ruff first: either fails CI.
# PostgreSQL's server is installed when missing and we are root (CI); see tests/postgres/.
# The tests run in two processes (pytest-xdist; CI has 2 cores), each with its own
# throw-away PostgreSQL server: about 4.5 minutes instead of 9.5 (tests/conftest.py keeps
# a shared server's tests in one process). The slowest tests are
# listed at the end, to keep the suite under its 10-minute aim.
test: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check fusiondesk tests benchmarks sample_data
	sh tests/postgres/install_server.sh > $(VENV)/.postgres-env
	env $$(cat $(VENV)/.postgres-env) QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 --dist loadgroup --durations=20

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py $(ONLY)

sample: $(STAMP)
	$(PY) sample_data/make_sample.py

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m fusiondesk.gui.screenshot resources/screenshot.png

# Every page and main dialog, light and dark, into docs/screenshots/ with its README index
# (about a minute); run it again after changing a page, and look at the pictures.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m fusiondesk.gui.screenshot --gallery docs/screenshots

# The PyInstaller one-folder build: dist/fusiondesk/ (about 35 s on 2 cores). PyInstaller is
# installed into the venv on first use; it is not part of `make test` (see package-test).
package: $(STAMP)
	@$(PY) -c "import PyInstaller, sys; sys.exit(int(PyInstaller.__version__.split('.')[0]) < 6)" 2>/dev/null \
		|| $(PY) -m pip install --quiet "pyinstaller>=6"
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN fusiondesk.spec
	@du -sh dist/fusiondesk

# Builds if dist/ is missing or stale, then runs the built binary headless (CLI and offscreen GUI).
package-test: $(STAMP)
	$(PY) packaging/smoke_test.py

clean:
	rm -rf build dist .pytest_cache
