# Two commands do everything on a fresh Debian machine (see README):
#   make build   - set up, then build every text in seeds/ into dist/
#   make test    - set up, then run the test suite
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.paiban-installed
APT_PACKAGES := python3-venv fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium

.PHONY: setup build test bench sysdeps snapshots clean

setup: sysdeps $(STAMP)

# Installs the Debian packages paiban needs, only when one is missing.
sysdeps:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian packages: $(APT_PACKAGES)"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	# The pure-Python OpenCC, kept beside (not in) the environment: a test puts it first on the
	# path to prove it still works as a drop-in fallback for the official binding.
	$(PY) -m pip install -q --target $(VENV)/opencc-pure opencc-python-reimplemented
	touch $(STAMP)

build: setup
	$(VENV)/bin/paiban build

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/run.py
	$(PY) bench/issue_run.py

# Regenerate the golden snapshots in tests/snapshots/ (review the diff before committing).
snapshots: setup
	$(PY) -m paiban.snapshots

clean:
	rm -rf dist
