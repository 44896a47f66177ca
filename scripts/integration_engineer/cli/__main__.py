"""``python -m integration_engineer.cli``: the same command without the console script."""

from integration_engineer.cli import main

main()
