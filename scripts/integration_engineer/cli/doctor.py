"""``integration-engineer doctor``: the click entry hands its arguments to the standard-library
doctor (``setup/doctor.py``), which ``scripts/cli.py`` also runs directly when click is missing."""

from __future__ import annotations

from integration_engineer.cli.stdlib_command import stdlib_command
from integration_engineer.setup import doctor

command = stdlib_command(
    "doctor", doctor.main, "Check the installed plugin, its hooks and venv, Claude Code, the config and the layers."
)
