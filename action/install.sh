#!/bin/sh
# The GitHub Action's install step: integration-engineer into a venv of its own, from the action's
# own checkout (the tag or commit named in `uses:`), never into the runner's Python. A runner's
# system Python may be externally managed (PEP 668: pip refuses to install into it); a venv works on
# it and on the Python of actions/setup-python alike.
#
#   IE_ACTION_PATH  the action's checkout (github.action_path)     required
#   IE_PYTHON       the interpreter to build the venv with          default: python3, then python, from PATH
#   RUNNER_TEMP     where the venv goes                             default: $TMPDIR or /tmp
#   GITHUB_OUTPUT / GITHUB_PATH   when set, receive `bin=DIR` and DIR (the venv's scripts directory)
#
# Exit status 3, with an ::error:: line, when no usable Python or venv module is found.
set -eu
src=${IE_ACTION_PATH:?IE_ACTION_PATH must name the action checkout}
venv=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/integration-engineer-venv
python=${IE_PYTHON:-}
if [ -z "$python" ]; then
    for name in python3 python; do
        candidate=$(command -v "$name" 2>/dev/null) || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; then
            python=$candidate
            break
        fi
    done
fi
if [ -z "$python" ]; then
    echo "::error::integration-engineer: no Python >= 3.10 on PATH; add actions/setup-python before this action" >&2
    exit 3
fi
if ! "$python" -m venv "$venv"; then
    echo "::error::integration-engineer: '$python -m venv' failed; install python3-venv or add actions/setup-python before this action" >&2
    exit 3
fi
bin=$venv/bin
if [ -d "$venv/Scripts" ]; then bin=$venv/Scripts; fi  # Windows runners
"$bin/python" -m pip install --quiet --disable-pip-version-check "$src"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "bin=$bin" >> "$GITHUB_OUTPUT"; fi
if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin" >> "$GITHUB_PATH"; fi
"$bin/integration-engineer" --version
