"""Code that runs before the program's own: shells' start-up files, interpreters' preloads.

- ``shell_files(argv, lookup)``: the files a shell reads before its script: ``BASH_ENV`` for a
  non-interactive bash (not sh: bash named sh reads none, nor dash), ``--rcfile``/``~/.bashrc`` and ``ENV``
  when interactive (``-i``), the profiles of a login shell (``-l``). ``lookup(NAME)`` gives a
  variable's values as the command set them (None when it did not set it).
- ``interpreter_files(argv, lang, lookup)``: what an interpreter loads at start-up: Python's
  ``sitecustomize``/``usercustomize`` on ``PYTHONPATH``, node's ``--require``/``--import`` (and
  ``NODE_OPTIONS``), perl's ``PERL5OPT`` modules.
- ``python_imports(code)``, ``node_requires(code)``: the local modules code imports.
Each answer is a list of (label, path or None when unknown). Stdlib only.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable


def _flags(args: list[str | None]) -> tuple[bool, bool, list[str | None], bool]:
    """interactive, login, rc files named, --norc: from a shell's options (before its script)."""
    interactive = login = norc = False
    rc: list[str | None] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None or arg == "--" or not arg.startswith(("-", "+")) or arg == "-":
            break
        if arg in ("--rcfile", "--init-file"):
            rc.append(args[i + 1] if i + 1 < len(args) else None)
            i += 2
            continue
        if arg in ("-o", "+o", "-O", "+O"):
            i += 2
            continue
        if arg == "--login":
            login = True
        elif arg == "--norc":
            norc = True
        elif arg.startswith("--"):
            pass
        else:
            interactive = interactive or "i" in arg[1:]
            login = login or "l" in arg[1:]
            if "c" in arg[1:]:
                break
        i += 1
    return interactive, login, rc, norc


def shell_files(
    argv: list[str | None], lookup: Callable[[str], list[str | None] | None]
) -> list[tuple[str, str | None]]:
    name = (argv[0] or "").rsplit("/", 1)[-1]
    interactive, login, rc, norc = _flags(argv[1:])
    found: list[tuple[str, str | None]] = []
    if not interactive:
        # Only bash reads BASH_ENV, and not when named sh (or --posix): checked with a link sh -> bash.
        if name in ("bash", "rbash") and "--posix" not in argv[1:]:
            found += [("BASH_ENV", v) for v in lookup("BASH_ENV") or []]
    else:
        if name in ("bash", "rbash") and not norc:
            found += [(f"{name} --rcfile", v) for v in rc] or [(f"{name} -i (~/.bashrc)", "~/.bashrc")]
        found += [("ENV", v) for v in lookup("ENV") or []]
    if login:
        found += [(f"{name} -l", p) for p in ("~/.bash_profile", "~/.bash_login", "~/.profile")]
    return found


def _after(args: list[str | None], names: tuple[str, ...]) -> list[str | None]:
    found: list[str | None] = []
    for i, arg in enumerate(args):
        if arg is None:
            continue
        if arg in names and i + 1 < len(args):
            found.append(args[i + 1])
        for name in names:
            if name.startswith("--") and arg.startswith(name + "="):
                found.append(arg[len(name) + 1 :])
    return found


_NODE_PRELOAD = ("-r", "--require", "--import", "--loader", "--experimental-loader")


def interpreter_files(
    argv: list[str | None], lang: str, lookup: Callable[[str], list[str | None] | None]
) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    if lang in ("python", "pypy"):
        for value in lookup("PYTHONPATH") or []:
            if value is None:
                found.append(("PYTHONPATH", None))
                continue
            for directory in value.split(":"):
                for module in ("sitecustomize.py", "usercustomize.py"):
                    found.append((f"PYTHONPATH {module}", f"{directory or '.'}/{module}"))
    elif lang in ("node", "nodejs"):
        code = argv[1:]
        found += [(f"node {v}", v) for v in _after(code, _NODE_PRELOAD)]
        for value in lookup("NODE_OPTIONS") or []:
            words = value.split() if value is not None else [None]
            found += [("NODE_OPTIONS", v) for v in _after(list(words), _NODE_PRELOAD)]
            if value is None:
                found.append(("NODE_OPTIONS", None))
    elif lang == "perl":
        for value in lookup("PERL5OPT") or []:
            if value is None or "-M" in value or "-m" in value:
                found.append(("PERL5OPT", None))
    return found


def python_imports(code: str) -> list[str]:
    """Top-level module names ``import X`` / ``from X import`` / ``import_module("X")`` name."""
    names: list[str] = []
    for raw in code.replace(";", "\n").splitlines():
        words = raw.strip().replace(",", " ").split()
        if words[:1] == ["import"]:
            names += [w.split(".")[0] for w in words[1:] if w != "as" and w.isidentifier()]
        elif words[:1] == ["from"] and len(words) > 1 and not words[1].startswith("."):
            names.append(words[1].split(".")[0])
        for call in ("import_module(", "__import__("):
            at = raw.find(call)
            if at >= 0:
                rest = raw[at + len(call) :].strip()
                if rest[:1] in "'\"":
                    names.append(rest[1:].split(rest[0], 1)[0].split(".")[0])
    return [n for n in dict.fromkeys(names) if n.isidentifier()]


def node_requires(code: str) -> list[str]:
    """Relative paths ``require('./x')`` / ``import ... from './x'`` name."""
    found: list[str] = []
    for quote in ("'", '"', "`"):
        for piece in code.split(quote)[1::2]:
            if piece.startswith(("./", "../")):
                found.append(piece)
    return list(dict.fromkeys(found))
