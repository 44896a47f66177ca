"""CLI entry for ``bin/integration-engineer`` (run with ``python -I``, like the hooks)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from integration_engineer.cli import main

if __name__ == "__main__":
    main()
