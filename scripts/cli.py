"""CLI entry for ``bin/integration-engineer`` (run with ``python -I``, like the hooks).

``doctor`` needs only the standard library, so it runs here without click: it must work when the
plugin's venv is missing, which is one of the things it reports. ``worktree-root`` too: the
``/integration-engineer:start-task`` command runs it, and it must not wait for the venv (nor pay click).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    if sys.argv[1:2] == ["doctor"]:
        from integration_engineer.setup import doctor

        sys.exit(doctor.main(sys.argv[2:]))
    if sys.argv[1:2] == ["worktree-root"]:
        from integration_engineer.task import worktree_root

        sys.exit(worktree_root.main(sys.argv[2:]))
    from integration_engineer.cli import main

    main()
