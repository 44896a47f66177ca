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

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable


class _Options:
    """A shell's invocation options (before its script or ``-c`` text)."""

    __slots__ = ("interactive", "login", "noexec", "noprofile", "norc", "posix", "rc")

    def __init__(self) -> None:
        self.interactive = self.login = self.noexec = self.norc = self.noprofile = self.posix = False
        self.rc: list[str | None] = []


def _flags(args: list[str | None]) -> _Options:
    opts = _Options()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None or arg == "--" or not arg.startswith(("-", "+")) or arg == "-":
            break
        value = args[i + 1] if i + 1 < len(args) else None
        if arg in ("--rcfile", "--init-file"):
            opts.rc.append(value)
            i += 2
            continue
        if arg in ("-o", "+o", "-O", "+O"):
            if arg == "-o" and value in ("noexec", "posix"):
                opts.noexec = opts.noexec or value == "noexec"
                opts.posix = opts.posix or value == "posix"
            i += 2
            continue
        if arg in ("--login", "--norc", "--noprofile", "--posix"):
            setattr(opts, arg[2:], True)
        elif arg.startswith("-") and not arg.startswith("--"):
            opts.interactive = opts.interactive or "i" in arg[1:]
            opts.login = opts.login or "l" in arg[1:]
            opts.noexec = opts.noexec or "n" in arg[1:]
            if "c" in arg[1:]:
                break
        i += 1
    opts.login = opts.login and not opts.noprofile
    return opts


def shell_files(
    argv: list[str | None], lookup: Callable[[str], list[str | None] | None]
) -> list[list[tuple[str, str | None]]]:
    """What a shell reads before its own commands, checked with bash 5.2 and dash: groups of
    files of which the first that exists is read (a login shell's profiles), else singletons."""
    name = (argv[0] or "").rsplit("/", 1)[-1]
    opts = _flags(argv[1:])
    bash = name in ("bash", "rbash") and not opts.posix
    if opts.noexec and not opts.interactive:
        return []  # -n: commands are read, never run, and no start-up file is read either
    found: list[list[tuple[str, str | None]]] = []
    if opts.login:  # bash -l and bash -il read the first profile found, and no ~/.bashrc
        profiles = (".bash_profile", ".bash_login", ".profile") if bash else (".profile",)
        for home in _homes(lookup):
            found.append([(f"{name} -l (~/{p})", _in_home(home, p)) for p in profiles])
            if bash and _may_exit(argv[1:], opts.interactive):
                found.append([(f"{name} -l (~/.bash_logout)", _in_home(home, ".bash_logout"))])
    if not opts.interactive:
        # Only bash reads BASH_ENV, and not when named sh (or --posix): checked with a link sh -> bash.
        if bash:
            found += [[("BASH_ENV", v)] for v in lookup("BASH_ENV") or []]
        return found
    if bash and not opts.norc and not opts.login:
        rc = [[(f"{name} --rcfile", v)] for v in opts.rc]
        found += rc or [[(f"{name} -i (~/.bashrc)", _in_home(h, ".bashrc"))] for h in _homes(lookup)]
    if not bash:  # sh, dash, bash --posix: an interactive shell runs the file $ENV names
        found += [[("ENV", v)] for v in lookup("ENV") or []]
    return found


def _may_exit(args: list[str | None], interactive: bool) -> bool:
    """Whether a login bash may read ~/.bash_logout: an interactive one as it ends, a
    non-interactive one when it runs the ``exit`` builtin (its ``-c`` text names it, or its
    script is not at hand)."""
    if interactive:
        return True
    for i, arg in enumerate(args):
        if arg is None or not arg.startswith(("-", "+")):
            return True  # a script file (or an unknown word): it may run exit
        if not arg.startswith("--") and "c" in arg[1:]:
            text = args[i + 1] if i + 1 < len(args) else ""
            return text is None or "exit" in text
    return True


def reads_system_rc(argv: list[str | None]) -> bool:
    """Whether an interactive bash reads the system bashrc (Debian's /etc/bash.bashrc): not a
    login shell, not with ``--norc`` or ``--rcfile``, not in POSIX mode."""
    name = (argv[0] or "").rsplit("/", 1)[-1]
    opts = _flags(argv[1:])
    return name in ("bash", "rbash") and opts.interactive and not (opts.login or opts.norc or opts.rc or opts.posix)


def prompts(argv: list[str | None]) -> bool:
    """An interactive shell that reads its commands from stdin (``bash -i``, ``bash -is``), so
    prompts and runs PROMPT_COMMAND first; with ``-c`` or a script file it never prompts (checked
    with bash 5.2, stdin not a terminal)."""
    if not _flags(argv[1:]).interactive:
        return False
    i, args = 0, argv[1:]
    while i < len(args):
        arg = args[i]
        if arg is None:
            return False
        if arg in ("--rcfile", "--init-file", "-o", "+o", "-O", "+O"):
            i += 2
            continue
        if arg == "-" or arg == "--":
            return i + 1 >= len(args)
        if not arg.startswith(("-", "+")):
            return False  # a script file
        if not arg.startswith("--") and "c" in arg[1:]:
            return False
        i += 1
    return True


def program_files(
    argv: list[str | None], lookup: Callable[[str], list[str | None] | None]
) -> list[tuple[str, str | None, str]]:
    """Files other programs read as their own commands at start-up, from the HOME (and
    ``XDG_CONFIG_HOME``) the command gave them: (label, path or None unknown, language: ``gdb``,
    ``vim`` or ``tcl``). Checked with gdb 13, vim 9, tclsh 8.6 (HOME set to a directory of the
    tree): gdb reads its home init files unless ``-nx``/``-n``/``-nh``; vim reads ~/.vimrc unless
    ``-u`` names another (or NONE), ``--clean`` or silent ex mode (``-es``), and ``-c 'source
    FILE'`` reads FILE; tclsh reads ~/.tclshrc when it runs no script (stdin or none)."""
    name = (argv[0] or "").rsplit("/", 1)[-1]
    args = argv[1:]
    homes = lookup("HOME")
    if name == "gdb":
        if any(a in ("-nx", "-n", "--nx", "-nh", "--nh", "--version", "-v", "--help", "-h") for a in args):
            return []  # no init file (or only a version or help text printed: checked, none read)
        files = (".gdbinit", ".gdbearlyinit", ".config/gdb/gdbinit", ".config/gdb/gdbearlyinit")
        found = [(f"gdb ~/{f}", _in_home(h, f), "gdb") for h in homes or [] for f in files]
        for xdg in lookup("XDG_CONFIG_HOME") or []:
            found += [
                (f"gdb $XDG_CONFIG_HOME/gdb/{f}", _in_home(xdg, f"gdb/{f}"), "gdb") for f in ("gdbinit", "gdbearlyinit")
            ]
        return found
    if name == "tmux":  # the server reads its configuration as it starts (-f names another)
        given = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "-f"]
        given += [a[2:] for a in args if a is not None and a.startswith("-f") and len(a) > 2]
        if given or None in args:
            return [("tmux -f", g, "tmux") for g in given or [None]]
        found = [(f"tmux ~/{f}", _in_home(h, f), "tmux") for h in homes or [] for f in _TMUX]
        return found + [
            ("tmux $XDG_CONFIG_HOME", _in_home(x, "tmux/tmux.conf"), "tmux") for x in lookup("XDG_CONFIG_HOME") or []
        ]
    if name in ("vim", "vi", "view", "gvim", "vimdiff"):
        return _vim_files(args, homes)
    if name in ("tclsh", "wish") or name.startswith(("tclsh8", "wish8")):
        script = next((a for a in args if a is None or not a.startswith("-")), "")
        if script or homes is None:
            return []
        rc = ".wishrc" if name.startswith("wish") else ".tclshrc"
        return [(f"{name} ~/{rc}", _in_home(h, rc), "tcl") for h in homes]
    return []


_TMUX = (".tmux.conf", ".config/tmux/tmux.conf")


def _vim_files(args: list[str | None], homes: list[str | None] | None) -> list[tuple[str, str | None, str]]:
    found: list[tuple[str, str | None, str]] = []
    for i, arg in enumerate(args):
        value = args[i + 1] if i + 1 < len(args) else ""
        if arg in ("-c", "--cmd") and value is not None:
            words = value.strip().lstrip(":").split(None, 1)
            if len(words) == 2 and words[0] in ("so", "sou", "sour", "sourc", "source", "so!", "source!"):
                path = words[1].strip()
                if path.startswith("~/") and homes is None:
                    continue  # the user's own home: not the command's
                for home in homes if path.startswith("~/") and homes else [None]:
                    found.append((f"vim -c {words[0]}", _in_home(home, path[2:]) if home else path, "vim"))
    given = any(a is None or a in ("-u", "--clean") for a in args)
    letters = {c for a in args if a and a[:1] == "-" and a[1:2] != "-" and a[1:].isalpha() for c in a[1:]}
    silent = bool(letters & {"e", "E"}) and "s" in letters  # silent ex mode skips every vimrc
    if given or silent or homes is None:
        return found
    return found + [(f"vim ~/{f}", _in_home(h, f), "vim") for h in homes for f in (".vimrc", ".vim/vimrc")]


def function_environment(shell: str) -> str:
    """What a shell of that name does with the functions in its environment (``BASH_FUNC_NAME%%``
    variables: ``export -f``, ``env BASH_FUNC_...``): ``import`` (bash), ``drop`` (dash removes
    variables with such names from its children's environment), ``pass`` (other shells leave them
    to their children), ``unknown``. ``sh`` is what /bin/sh is here. Checked with bash 5.2, dash."""
    name = shell.rsplit("/", 1)[-1]
    if name == "sh":
        name = os.path.realpath("/bin/sh").rsplit("/", 1)[-1] if os.path.exists("/bin/sh") else "?"
    if name in ("bash", "rbash"):
        return "import"
    if name == "dash":
        return "drop"
    return "pass" if name in _PASSING else "unknown"


# Shells that neither import functions from their environment nor remove them from it.
_PASSING = frozenset({"zsh", "ksh", "mksh", "yash", "posh", "fish", "ksh93"})


def is_interactive(argv: list[str | None]) -> bool:
    return _flags(argv[1:]).interactive


def is_noexec(argv: list[str | None]) -> bool:
    """``bash -n``, ``sh -n``, ``bash -o noexec``: the commands are read and never run (an
    interactive shell ignores -n)."""
    opts = _flags(argv[1:])
    return opts.noexec and not opts.interactive


def _homes(lookup: Callable[[str], list[str | None] | None]) -> list[str | None]:
    """The HOME the command set (``HOME=. bash -i``), or ours ("~")."""
    homes = lookup("HOME")
    return ["~"] if homes is None else homes


def _in_home(home: str | None, name: str) -> str | None:
    if home is None:
        return None
    return f"{home.rstrip('/') or '/'}/{name}"


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
        if _python_startup(argv[1:]):
            found += [("PYTHONSTARTUP", v) for v in lookup("PYTHONSTARTUP") or []]
        flags = python_flags(argv[1:])
        # -I/-E ignore PYTHONPATH; -S skips site (so sitecustomize/usercustomize), but the path
        # still comes before the standard library when python imports encodings at start-up
        # (not frozen in 3.11: checked, a local encodings/ runs first).
        modules: tuple[str, ...] = ("encodings.py", "encodings/__init__.py")
        if "S" not in flags:
            modules += ("sitecustomize.py", "usercustomize.py", "sitecustomize/__init__.py")
        for value in (lookup("PYTHONPATH") or []) if not flags & {"I", "E"} else []:
            if value is None:
                found.append(("PYTHONPATH", None))
                continue
            for directory in value.split(":"):
                for module in modules:
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


def python_flags(args: list[str | None]) -> set[str]:
    """python's one-letter options before its code or script (an unknown word ends them)."""
    flags: set[str] = set()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None or arg == "-" or not arg.startswith("-") or arg.startswith("--"):
            return flags
        i += 1
        for at, flag in enumerate(arg[1:]):
            if flag in "cm":
                return flags
            if flag in "WX":
                i += 0 if arg[at + 2 :] else 1
                break
            flags.add(flag)
    return flags


def _python_startup(args: list[str | None]) -> bool:
    """Whether python runs ``$PYTHONSTARTUP``: interactive (``-i``, checked with stdin not a
    terminal, as the Bash tool runs it) with no ``-c``/``-m``/script, and not ``-I``/``-E``."""
    interactive = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None or arg == "-" or not arg.startswith("-"):
            return interactive and arg == "-"
        i += 1
        if arg.startswith("--"):
            continue
        for at, flag in enumerate(arg[1:]):
            if flag in "cmIE":
                return False
            if flag in "WX":
                i += 0 if arg[at + 2 :] else 1  # -W VALUE, -Wignore
                break
            interactive = interactive or flag == "i"
    return interactive


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
    """Module names ``import X.Y`` / ``from X import Y`` / ``import_module("X.Y")`` name, dotted,
    with every package on the way (``X``, ``X.Y``: importing a submodule runs its package's
    ``__init__`` and then the submodule; ``from X import Y`` imports X.Y when Y is a module)."""
    names: list[str] = []
    for raw in code.replace(";", "\n").splitlines():
        words = raw.strip().replace(",", " ").replace("(", " ").replace(")", " ").split()
        if words[:1] == ["import"]:
            names += [w for k, w in enumerate(words[1:]) if w != "as" and words[k : k + 1] != ["as"]]
        elif words[:1] == ["from"] and len(words) > 1 and not words[1].startswith("."):
            names.append(words[1])
            if words[2:3] == ["import"]:
                names += [f"{words[1]}.{w}" for k, w in enumerate(words[3:]) if w != "as" and words[k + 2] != "as"]
        for call in ("import_module(", "__import__(", "run_module("):
            at = raw.find(call)
            if at >= 0:
                rest = raw[at + len(call) :].strip()
                if rest[:1] in "'\"":
                    names.append(rest[1:].split(rest[0], 1)[0])
    dotted = [".".join(n.split(".")[: k + 1]) for n in names for k in range(n.count(".") + 1)]
    return [n for n in dict.fromkeys(dotted) if n.replace(".", "_").isidentifier()]


def node_requires(code: str) -> list[str]:
    """Relative paths ``require('./x')`` / ``import ... from './x'`` name."""
    found: list[str] = []
    for quote in ("'", '"', "`"):
        for piece in code.split(quote)[1::2]:
            if piece.startswith(("./", "../")):
                found.append(piece)
    return list(dict.fromkeys(found))


def python_files_run(code: str) -> list[str]:
    """Files the code runs by name: ``runpy.run_path("f.py")``, ``execfile("f.py")``,
    ``exec(open("f.py").read())`` (and ``compile(open(...))``)."""
    calls = ("run_path(", "execfile(") + (("open(",) if "exec(" in code or "compile(" in code else ())
    return [name for call in calls for name in literal_arguments(code, call)]


def literal_arguments(code: str, call: str) -> list[str]:
    """The first arguments of ``call`` that are string literals."""
    found: list[str] = []
    for piece in code.split(call)[1:]:
        rest = piece.lstrip()
        if rest[:1] in ("'", '"'):
            found.append(rest[1:].split(rest[0], 1)[0])
    return found


def node_packages(code: str) -> list[str]:
    """Packages ``require("name")`` / ``import ... from "name"`` name (not a relative path, not
    ``node:`` built-ins), as node looks them up in ``node_modules``."""
    found: list[str] = []
    for call in ("require(", "import(", "from "):
        for name in literal_arguments(code, call):
            if name and not name.startswith((".", "/", "node:")) and " " not in name:
                found.append(name)
    return list(dict.fromkeys(found))


def perl_modules_used(code: str) -> tuple[list[str], list[str]]:
    """perl code's ``use``/``require`` of modules by name (``Ship::Util``), and the directories
    ``use lib`` adds to ``@INC``."""
    modules: list[str] = []
    dirs: list[str] = []
    for raw in code.split(";"):
        words = raw.split()
        if len(words) < 2 or words[0] not in ("use", "require", "no"):
            continue
        if words[0] == "use" and words[1] == "lib":
            dirs += [d for d in _perl_words(" ".join(words[2:])) if d]
        elif words[1][:1].isalpha() and all(c.isalnum() or c in "_:" for c in words[1]):
            modules.append(words[1])
    return modules, dirs


def _perl_words(text: str) -> list[str]:
    """The strings of a perl list: ``'a', "b"`` or ``qw(a b)``."""
    text = text.strip()
    if text.startswith("qw"):
        return text[2:].strip("()[]{}/ ").split()
    return [w.strip().strip("'\"") for w in text.strip("()").split(",")]
