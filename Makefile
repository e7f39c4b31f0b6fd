# FusionDesk: `make run` opens the GUI on the sample portfolio, `make test` runs every test headless.
# Both create the virtual environment and install on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench sample screenshot package package-test clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m fusiondesk --sample

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

sample: $(STAMP)
	$(PY) sample_data/make_sample.py

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m fusiondesk.gui.screenshot resources/screenshot.png

clean:
	rm -rf build dist .pytest_cache
