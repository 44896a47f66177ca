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
    """interactive, login (without --noprofile), rc files named, --norc: from a shell's options
    (before its script)."""
    interactive = login = norc = noprofile = False
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
        elif arg == "--noprofile":
            noprofile = True
        elif arg.startswith("--"):
            pass
        else:
            interactive = interactive or "i" in arg[1:]
            login = login or "l" in arg[1:]
            if "c" in arg[1:]:
                break
        i += 1
    return interactive, login and not noprofile, rc, norc


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
            found += [(f"{name} --rcfile", v) for v in rc] or _home(f"{name} -i (~/.bashrc)", ".bashrc", lookup)
        found += [("ENV", v) for v in lookup("ENV") or []]
    if login:
        for profile in (".bash_profile", ".bash_login", ".profile"):
            found += _home(f"{name} -l", profile, lookup)
    return found


def is_interactive(argv: list[str | None]) -> bool:
    return _flags(argv[1:])[0]


def _home(label: str, name: str, lookup: Callable[[str], list[str | None] | None]) -> list[tuple[str, str | None]]:
    """``~/NAME`` as the shell finds it: in the HOME the command set (``HOME=. bash -i``), else ours."""
    homes = lookup("HOME")
    if homes is None:
        return [(label, f"~/{name}")]
    return [(label, None if home is None else f"{home.rstrip('/') or '/'}/{name}") for home in homes]


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
        found += _perl_modules(argv, lookup)
    return found


def _perl_modules(
    argv: list[str | None], lookup: Callable[[str], list[str | None] | None]
) -> list[tuple[str, str | None]]:
    """The local files perl loads for ``-M``/``-m`` (its command line and ``PERL5OPT``), looked for
    in the ``-I`` directories and ``PERL5LIB`` (the current directory is not in ``@INC``)."""
    dirs: list[str | None] = []
    modules: list[tuple[str, str | None]] = []
    opts: list[tuple[str, list[str | None]]] = [("perl", _before_code(argv[1:]))]
    for given in lookup("PERL5OPT") or []:
        opts.append(("PERL5OPT", list(given.split()) if given is not None else [None]))
    for where, words in opts:
        i = 0
        while i < len(words):
            word = words[i]
            if word is None:
                modules.append((where, None))
            elif word[:2] in ("-I", "-M", "-m"):
                # Only -I takes its value as the next word, and only on the command line: `-M ship`
                # and PERL5OPT's `-I lib` stop perl with an error before anything is loaded.
                spaced = not word[2:] and word == "-I" and where == "perl"
                value: str | None = words[i + 1] if spaced and i + 1 < len(words) else word[2:]
                i += 1 if spaced else 0
                if word[:2] == "-I":
                    dirs.append(value)
                elif value is None:
                    modules.append((where, None))
                elif (module := value.lstrip("-").split("=", 1)[0].split(" ", 1)[0]) != "":
                    modules.append((where, module))
            i += 1
    for lib in lookup("PERL5LIB") or []:
        dirs += lib.split(":") if lib is not None else [None]
    found: list[tuple[str, str | None]] = []
    for where, name in modules:
        if name is None or None in dirs:
            found.append((f"{where} module", None))
            continue
        rel = name.replace("::", "/") + ".pm"
        found += [(f"{where} -M{name}", f"{d or '.'}/{rel}") for d in dirs if d is not None]
    return found


def _before_code(args: list[str | None]) -> list[str | None]:
    """perl's own options: those before ``-e``/``-E`` code or the script."""
    out: list[str | None] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None or arg in ("-e", "-E", "--") or not arg.startswith("-") or arg.startswith(("-e", "-E")):
            break
        out += args[i : i + 2] if arg == "-I" else [arg]
        i += 2 if arg == "-I" else 1
    return out


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
