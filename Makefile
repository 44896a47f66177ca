# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3.10 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The development venv and the tool caches live outside the checkout (.venv is a symlink to
# DEV_HOME/venv): Claude Code copies a plugin's whole directory when it is installed from the
# checkout and drops only symlinks that lead outside it, so the installed copy stays the plugin.
DEV_HOME ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/integration-engineer/dev/$(notdir $(CURDIR))-$(shell printf %s "$(CURDIR)" | cksum | cut -d' ' -f1)

.PHONY: install demo test lint typecheck unit e2e e2e-oldest cli system-deps bench fuzz clean-venv

install: $(STAMP)

$(STAMP): pyproject.toml requirements.txt
	@test -n "$(PYTHON)" || { echo "make: no Python >= 3.10 found; install python3 (3.10 or newer)" >&2; exit 1; }
	@if [ -d $(VENV) ] && [ ! -L $(VENV) ]; then \
	    echo "make: $(VENV) is a directory inside the checkout (an older layout); 'make clean-venv install' moves it to $(DEV_HOME)" >&2; \
	else mkdir -p "$(DEV_HOME)" && $(PYTHON) -m venv "$(DEV_HOME)/venv" && ln -sfn "$(DEV_HOME)/venv" $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The pinned Claude Code CLI, installed outside the tracked tree (reused when present). The tests use
# it; it is not put on PATH: run it by the printed path (or install Claude Code yourself to use the plugin).
cli:
	@bin=$$(sh tests/e2e/install_cli.sh) && echo "make: Claude Code CLI for the tests: $$bin ($$("$$bin" --version))"

# tmux and bubblewrap, which the real-CLI and sandbox tests drive (installed when missing, as root).
system-deps:
	@sh tests/system/install_deps.sh

demo: install
	$(PY) -m integration_engineer.demo

lint: install
	$(VENV)/bin/ruff check scripts tests benchmarks examples
	$(VENV)/bin/ruff format --check scripts tests benchmarks examples

typecheck: install
	$(VENV)/bin/mypy --strict

unit: install
	@$(PY) -m pytest -q -m "not e2e" ; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; exit 1; fi; exit $$rc

# Every test: lint, types, unit, golden, fuzz and the real-CLI end-to-end suite.
test: install cli system-deps lint typecheck
	@$(PY) -m pytest -q ; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; exit 1; fi; exit $$rc

e2e: install cli system-deps
	@$(PY) -m pytest -q -m e2e ; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; exit 1; fi; exit $$rc

# The core scenario on the oldest supported Claude Code (setup/versions.py OLDEST); `make test`
# runs everything on the newest (pinned) one.
OLDEST_CLI = $(shell sed -n 's/^OLDEST = "\(.*\)".*/\1/p' scripts/integration_engineer/setup/versions.py)
e2e-oldest: install
	IE_CLAUDE_VERSION=$(OLDEST_CLI) sh tests/e2e/install_cli.sh >/dev/null
	IE_CLAUDE_VERSION=$(OLDEST_CLI) $(PY) -m pytest -q -m e2e tests/e2e/test_version_core.py

# Property tests with fresh random examples instead of the fixed, reproducible ones.
fuzz: install
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -q -m "not e2e" -k "fuzz or hypothesis or generated or differential or triggers"

bench: install
	$(PY) benchmarks/run.py

# Removes the symlink and the out-of-tree venv it points to (an older in-tree .venv directory too).
clean-venv:
	rm -rf "$(DEV_HOME)/venv" $(VENV)
