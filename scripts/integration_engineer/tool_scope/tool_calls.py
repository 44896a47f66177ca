"""Which search, test or lint tool a simple command runs, and where its own words are.

``identify`` understands the tool word itself (``rg``, ``/usr/bin/rg``, ``py.test``), runners
(``npx``/``bunx`` with their flags, ``pnpm exec``/``yarn``/``pnpm``, ``uv run``/``poetry run``/
``pipenv run`` directly followed by the tool, ``python -m pytest``/``mypy``) and wrappers
(``env``, ``timeout``...). Anything else is not a tool call: commands are only rewritten when
we are certain what they are. Standard library only.
"""

from __future__ import annotations

from integration_engineer.bash import commands
from integration_engineer.bash.parser import SimpleCommand, Word
from integration_engineer.runtime.record import record

NAMES = {
    "rg": "rg",
    "grep": "grep",
    "egrep": "grep",
    "fgrep": "grep",
    "find": "find",
    "fd": "fd",
    "fdfind": "fd",
    "pytest": "pytest",
    "py.test": "pytest",
    "jest": "jest",
    "vitest": "vitest",
    "ruff": "ruff",
    "eslint": "eslint",
    "mypy": "mypy",
    "go": "go",
}


def is_python(program: str) -> bool:
    """``re.fullmatch(r"python(3(\\.\\d+)?)?|py", program)`` without compiling it (hot path)."""
    if program in ("py", "python", "python3"):
        return True
    minor = program[len("python3.") :]
    return program.startswith("python3.") and minor.isdecimal()


NPX_FLAGS = frozenset({"-y", "--yes", "--no", "--no-install", "-q", "--quiet"})
RUNNERS = {
    ("uv", "run"),
    ("poetry", "run"),
    ("pipenv", "run"),
    ("pnpm", "exec"),
    ("yarn", "exec"),
    ("pnpm", "dlx"),
    ("npm", "exec"),
}


@record
class ToolCall:
    tool: str  # key of NAMES' values ("grep" for egrep too)
    words: list[Word]  # the command's words from the tool word on
    command: SimpleCommand

    @property
    def word(self) -> Word:
        return self.words[0]

    @property
    def args(self) -> list[Word]:
        return self.words[1:]

    def values(self) -> list[str | None]:
        return [w.value for w in self.args]


def identify(cmd: SimpleCommand) -> ToolCall | None:
    words = commands.unwrapped(cmd).words
    i = 0
    while i < len(words):
        program = commands.name(words[i])
        nxt = words[i + 1].value if i + 1 < len(words) else None
        if program in NAMES and words[i].value is not None:
            return ToolCall(NAMES[program], words[i:], cmd)
        if program in ("npx", "bunx"):
            i += 1
            while i < len(words) and words[i].value in NPX_FLAGS:
                i += 1
            continue
        if (program, nxt) in RUNNERS:
            i += 2
            continue
        if program in ("yarn", "pnpm") and nxt in ("jest", "vitest", "eslint"):
            i += 1
            continue
        if (
            is_python(program)
            and nxt == "-m"
            and i + 2 < len(words)
            and words[i + 2].value in ("pytest", "mypy", "ruff")
        ):
            return ToolCall(NAMES[words[i + 2].value or ""], words[i + 2 :], cmd)
        return None
    return None
