"""Per tool, the command-line words that make it skip ``settings.excluded_dirs``. Pure, stdlib only.

Each builder returns argv words (unquoted); ``quote`` turns them into shell text. The forms were
checked against the tools themselves (docs/exclusions.md says how, and where the seed was wrong):

- pytest ``--ignore-glob`` is an fnmatch over the absolute path, anchored at the current
  directory, and ``*`` crosses ``/``: ``--ignore-glob='*backup*'`` also drops ``test_backup.py``.
  ``NAME/*`` plus ``*/NAME/*`` (or ``*GLOB*/*`` for a glob starting with ``*``) match directories only.
- jest ``--testPathIgnorePatterns`` is a regex over the absolute path: anchored at ``<rootDir>``
  so the ``trees/`` holding the worktree itself is not matched; given with ``=`` and placed last,
  because it is an array option that would swallow the test paths following it.
- ruff ``--extend-exclude '**/NAME/**'``: a bare ``*backup*`` would also skip ``backup_client.py``.
- mypy ``--exclude`` is one regex (the last flag wins on older versions) over relative paths,
  directories with a trailing ``/``.
"""

from __future__ import annotations

TOOLS = ("rg", "grep", "find", "fd", "pytest", "jest", "vitest", "ruff", "eslint", "mypy")

# Tools without a directory-exclusion flag: what to do instead (shown by the CLI and the docs).
ADVICE = {
    "go": "go test has no flag for directories (-skip filters test names). Nested modules (a "
    "worktree has its own go.mod) and directories starting with . or _ are already outside "
    "./...; otherwise list the packages: go test $(go list ./... | grep -v -e /trees/ -e "
    "backup).",
    "phpunit": "PHPUnit excludes directories only in phpunit.xml: <exclude>trees</exclude> inside "
    "<testsuite>; --exclude-group excludes test groups, not directories.",
    "cargo": "cargo selects packages, not directories: cargo test --workspace --exclude PKG, or "
    '[workspace] exclude = ["trees"] in Cargo.toml.',
    "rspec": "rspec --exclude-pattern '**/{trees,*backup*}/**/*_spec.rb' (the default search "
    "directory is spec/, so a worktree under trees/ is only reached when named).",
}
_SAFE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,@%+-")
_JS_META = set(".^$+?()[]{}|\\")


def flags(tool: str, dirs: tuple[str, ...]) -> list[str]:
    """The argv words that exclude ``dirs`` for ``tool`` ([] for no dirs); KeyError if unknown."""
    if not dirs:
        return []
    return _BUILDERS[tool](dirs)


def quote(word: str) -> str:
    """Shell quoting for an inserted word: bare when safe, else single quotes."""
    if word and _safe(word):
        return word
    if word in ("(", ")"):
        return "\\" + word
    flag, eq, value = word.partition("=")
    if eq and word.startswith("-") and _safe(flag):
        return f"{flag}={quote(value)}" if value else word
    return "'" + word.replace("'", "'\\''") + "'"


def _safe(word: str) -> bool:
    """``re.fullmatch(r"[A-Za-z0-9_./=:,@%+-]+", word)`` (for a non-empty word)."""
    return not set(word) - _SAFE_CHARS


def shell_text(words: list[str]) -> str:
    return " ".join(quote(w) for w in words)


def _rg(dirs: tuple[str, ...]) -> list[str]:
    return [w for d in dirs for w in ("-g", f"!{d}")]


def _grep(dirs: tuple[str, ...]) -> list[str]:
    return [f"--exclude-dir={d}" for d in dirs]


def find_prune(dirs: tuple[str, ...]) -> list[str]:
    """``( -name A -o -name B ) -prune -o``: put before the rest of the expression."""
    names: list[str] = []
    for d in dirs:
        names += (["-o"] if names else []) + ["-name", d]
    return ["(", *names, ")", "-prune", "-o"]


def _fd(dirs: tuple[str, ...]) -> list[str]:
    return [w for d in dirs for w in ("-E", d)]


def pytest_globs(name: str) -> list[str]:
    if name.startswith("*"):
        return [f"{name}/*"]
    return [f"{name}/*", f"*/{name}/*"]


def _pytest(dirs: tuple[str, ...]) -> list[str]:
    return [f"--ignore-glob={g}" for d in dirs for g in pytest_globs(d)]


def glob_to_regex(glob: str, meta: set[str] | None = None) -> str:
    """A name glob as a regex matching one path component (``*`` and ``?`` stay within it)."""
    out = []
    for ch in glob:
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch in (meta if meta is not None else _JS_META):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _jest(dirs: tuple[str, ...]) -> list[str]:
    alternatives = "|".join(glob_to_regex(d) for d in dirs)
    return [f"--testPathIgnorePatterns=<rootDir>/(.*/)?({alternatives})/"]


def _vitest(dirs: tuple[str, ...]) -> list[str]:
    return [w for d in dirs for w in ("--exclude", f"**/{d}/**")]


def _ruff(dirs: tuple[str, ...]) -> list[str]:
    return ["--extend-exclude", ",".join(f"**/{d}/**" for d in dirs)]


def _eslint(dirs: tuple[str, ...]) -> list[str]:
    return [w for d in dirs for w in ("--ignore-pattern", f"**/{d}/")]


def _mypy(dirs: tuple[str, ...]) -> list[str]:
    alternatives = "|".join(glob_to_regex(d) for d in dirs)
    return ["--exclude", f"(^|/)({alternatives})/"]


_BUILDERS = {
    "rg": _rg,
    "grep": _grep,
    "find": find_prune,
    "fd": _fd,
    "pytest": _pytest,
    "jest": _jest,
    "vitest": _vitest,
    "ruff": _ruff,
    "eslint": _eslint,
    "mypy": _mypy,
}
