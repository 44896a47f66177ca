"""Hook entry run by ``scripts/launch`` as ``python -I hook.py EVENT``.

``-I`` keeps the user's project (a stray ``json.py``) and environment out of our imports, but it
also drops this directory from sys.path: put it back, first, explicitly. Whatever fails here,
a guard event still ends with exit 2 and a reason: Claude Code lets an action through on any
other exit code.

On the hot events (those the launcher runs with ``-S``: every tool call, subagent start and
prompt) the cycle collector is switched off: the process lives a few milliseconds, the collector
would only run during its imports and parsing, and whatever it could free goes with the process.
"""

import gc
import os
import sys

GUARD_EVENTS = ("PreToolUse", "")
HOT_EVENTS = ("PreToolUse", "SubagentStart", "UserPromptSubmit")

if sys.argv[1:2] and sys.argv[1] in HOT_EVENTS:
    gc.disable()


def _fail(event: str, exc: BaseException) -> int:
    message = f"integration-engineer: the hook could not run ({type(exc).__name__}: {exc})"
    if event in GUARD_EVENTS:
        sys.stderr.write(message + "; the tool call is refused until this is fixed\n")
        return 2
    sys.stdout.write(f'{{"systemMessage": {_quote(message)}}}\n')
    return 0


def _quote(text: str) -> str:
    import json

    return json.dumps(text)


def run() -> int:
    event = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from integration_engineer.events.dispatch import main

        return main(sys.argv[1:])
    except SystemExit:
        raise
    except BaseException as exc:
        return _fail(event, exc)


if __name__ == "__main__":
    sys.exit(run())
