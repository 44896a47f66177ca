"""What actually runs: wrappers (env, sudo, timeout, xargs, find -exec, ...) and shells.

``unwrap(argv)`` looks at one argv and says what it leads to (a ``Step``): another argv, a
shell command string, a script read from stdin or from a file, interpreter code, or arguments
appended from stdin (xargs, parallel). The policy follows the steps until a program runs.
"""

from __future__ import annotations

import os

from integration_engineer.bash import runners
from integration_engineer.bash.expand import PSUB, Argv, Field
from integration_engineer.bash.xargs import XargsCommand

# Bash 5.2's builtins: found before any program of the same name (``enable -n`` turns one off).
BASH_BUILTINS = frozenset(
    [
        ".",
        ":",
        "[",
        "alias",
        "bg",
        "bind",
        "break",
        "builtin",
        "caller",
        "cd",
        "command",
        "compgen",
        "complete",
        "compopt",
        "continue",
        "declare",
        "dirs",
        "disown",
        "echo",
        "enable",
        "eval",
        "exec",
        "exit",
        "export",
        "false",
        "fc",
        "fg",
        "getopts",
        "hash",
        "help",
        "history",
        "jobs",
        "kill",
        "let",
        "local",
        "logout",
        "mapfile",
        "popd",
        "printf",
        "pushd",
        "pwd",
        "read",
        "readarray",
        "readonly",
        "return",
        "set",
        "shift",
        "shopt",
        "source",
        "suspend",
        "test",
        "times",
        "trap",
        "true",
        "type",
        "typeset",
        "ulimit",
        "umask",
        "unalias",
        "unset",
        "wait",
    ]
)
# What a PATH entry standing for the PATH the command inherited expands to (``PATH=bin:$PATH``):
# system directories, which the agent does not write.
INHERITED_PATH = "\x01PATH"
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh", "fish", "rbash", "busybox"})
# Each wrapper: options taking a value, positional arguments before the command.
_SIMPLE: dict[str, tuple[frozenset[str], int]] = {
    "nohup": (frozenset(), 0),
    "builtin": (frozenset(), 0),
    "setsid": (frozenset(), 0),
    "exec": (frozenset({"-a"}), 0),
    "time": (frozenset({"-f", "-o", "--format", "--output"}), 0),
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "ionice": (frozenset({"-c", "-n", "-p", "-P", "-u", "--class", "--classdata"}), 0),
    "stdbuf": (frozenset({"-i", "-o", "-e", "--input", "--output", "--error"}), 0),
    "timeout": (frozenset({"-s", "-k", "--signal", "--kill-after"}), 1),
    "strace": (
        frozenset({"-o", "-e", "-p", "-s", "-u", "-E", "-P", "-a", "-b", "-I", "-O", "-S", "-X", "-U"})
        | frozenset({"--output", "--trace", "--attach", "--user", "--env", "--string-limit", "--trace-path"})
        | frozenset({"--signal", "--status", "--quiet", "--abbrev", "--verbose", "--raw", "--read", "--write"})
        | frozenset({"--fault", "--inject", "--kvm", "--columns", "--const-print-style", "--decode-pids"})
        | frozenset({"--detach-on", "--interruptible", "--summary-columns", "--summary-sort-by"})
        | frozenset({"--summary-syscall-overhead"}),
        0,
    ),
    "ltrace": (frozenset({"-o", "-e", "-p", "-s", "-u", "-n", "-a"}), 0),
    "sudo": (
        frozenset(
            {
                "-u",
                "-g",
                "-C",
                "-D",
                "-h",
                "-p",
                "-r",
                "-t",
                "-T",
                "-U",
                "--user",
                "--group",
                "--chdir",
                "--host",
                "--prompt",
                "--role",
                "--type",
                "--other-user",
                "--close-from",
                "--command-timeout",
                "-R",
                "--chroot",
            }
        ),
        0,
    ),
    "doas": (frozenset({"-u", "-C"}), 0),
    "chroot": (frozenset({"--userspec", "--groups"}), 1),
    "taskset": (frozenset(), 1),
    "numactl": (frozenset({"-C", "-N", "-m", "-p", "-i"}), 0),
    "unbuffer": (frozenset(), 0),
    "chronic": (frozenset(), 0),
    "catchsegv": (frozenset(), 0),
    "valgrind": (frozenset(), 0),
    "dbus-run-session": (frozenset({"--config-file", "--dbus-daemon"}), 0),
    "xvfb-run": (frozenset({"-n", "-s", "-f", "-e", "-p"}), 0),
    "tini": (frozenset(), 0),
    "dumb-init": (frozenset(), 0),
    "firejail": (frozenset(), 0),
    "proxychains": (frozenset(), 0),
    "proxychains4": (frozenset(), 0),
    "torsocks": (frozenset(), 0),
    "nocache": (frozenset(), 0),
    "faketime": (frozenset({"-p", "--date-prog"}), 1),
    "flock": (frozenset({"-w", "-E", "--timeout"}), 1),
    "runuser": (frozenset({"-u", "-g", "-G", "--user", "--group"}), 0),
    "uv": (frozenset({"--python", "-p", "--with", "--directory", "--project"}), 1),
    "poetry": (frozenset(), 1),
    "pipenv": (frozenset(), 1),
    "pdm": (frozenset(), 1),
    "npx": (frozenset({"-p", "--package", "-c", "--call"}), 0),
    "direnv": (frozenset(), 2),
    "conda": (frozenset({"-n", "--name", "-p", "--prefix"}), 1),
    "mamba": (frozenset({"-n", "--name", "-p", "--prefix"}), 1),
    "watch": (frozenset({"-n", "--interval", "-q", "--equexit"}), 0),
    "caffeinate": (frozenset({"-t", "-w"}), 0),
    "script": (
        frozenset(
            {"-c", "--command", "-E", "--echo", "-I", "--log-in", "-O", "--log-out", "-B", "--log-io", "-T"}
            | {"--log-timing", "-m", "--logging-format", "-o", "--output-limit"}
        ),
        0,
    ),
    "su": (
        frozenset({"-c", "--command", "-s", "--shell", "-g", "-G", "--group", "--supp-group", "--session-command"})
        | frozenset({"-w", "--whitelist-environment"}),
        0,
    ),
    # Wrappers the old table missed (issue 18): each runs its operand as a program.
    "unshare": (frozenset({"-S", "--setuid", "-G", "--setgid", "-R", "--root", "-w", "--wd"}), 0),
    "setpriv": (frozenset(), 0),
    "prlimit": (frozenset({"-p", "--pid"}), 0),
    "chrt": (frozenset({"-T", "--sched-runtime", "-P", "--sched-period", "-D", "--sched-deadline"}), 1),
    # -1: one operand before the options, when the first word is not an option (setarch ARCH -R).
    "setarch": (frozenset(), -1),
    "linux32": (frozenset(), 0),
    "linux64": (frozenset(), 0),
    "i386": (frozenset(), 0),
    "x86_64": (frozenset(), 0),
    "choom": (frozenset({"-n", "--adjust", "-p", "--pid"}), 0),
    "pkexec": (frozenset({"--user"}), 0),
    "sem": (frozenset({"-j", "--jobs", "--id", "--semaphorename", "--semaphoretimeout", "--st"}), 0),
    "fakeroot": (frozenset({"-l", "--lib", "--faked", "-s", "-i"}), 0),
    "ssh-agent": (frozenset({"-a", "-E", "-t", "-P", "-O"}), 0),
    "sg": (frozenset({"-c"}), 1),
    "bwrap": (
        frozenset(
            {
                "--args",
                "--argv0",
                "--uid",
                "--gid",
                "--hostname",
                "--chdir",
                "--unsetenv",
                "--lock-file",
                "--sync-fd",
                "--exec-label",
                "--file-label",
                "--proc",
                "--dev",
                "--tmpfs",
                "--mqueue",
                "--dir",
                "--remount-ro",
                "--seccomp",
                "--add-seccomp-fd",
                "--block-fd",
                "--userns-block-fd",
                "--info-fd",
                "--json-status-fd",
                "--userns",
                "--userns2",
                "--pidns",
                "--cap-add",
                "--cap-drop",
                "--perms",
                "--size",
                "--overlay-src",
                "--tmp-overlay",
            }
        ),
        0,
    ),
    # -r/--root and -w/--wd take a value only when attached (-r/dir, --root=dir).
    "nsenter": (frozenset({"-t", "--target", "-S", "--setuid", "-G", "--setgid"}), 0),
    "systemd-run": (
        frozenset({"-p", "--property", "-u", "--unit", "-E", "--setenv", "--uid", "--gid", "-M", "--machine"})
        | frozenset({"--description", "--slice", "--working-directory", "--nice", "--service-type", "-H", "--host"})
        | frozenset({"--on-active", "--on-boot", "--on-startup", "--on-unit-active", "--on-unit-inactive"})
        | frozenset({"--on-calendar", "--timer-property", "--path-property", "--socket-property"}),
        0,
    ),
    "eatmydata": (frozenset(), 0),
    "cpulimit": (frozenset({"-l", "--limit", "-p", "--pid", "-e", "--exe"}), 0),
}
# Options with which a wrapper only prints (help, version) and exits, never running its command,
# when given before it (checked with coreutils 9.1, util-linux 2.38, strace 6.1, valgrind 3.19).
_GNU_PRINTS = frozenset({"--help", "--version"})
_UTIL_LINUX_PRINTS = _GNU_PRINTS | {"-h", "-V"}
_PRINT_ONLY: dict[str, frozenset[str]] = {
    **dict.fromkeys(("nohup", "stdbuf", "timeout", "chroot", "nice", "fakeroot", "bwrap"), _GNU_PRINTS),
    **dict.fromkeys(("dbus-run-session", "valgrind"), _GNU_PRINTS),
    **dict.fromkeys(("setsid", "taskset", "flock", "ionice", "chrt", "unshare", "setpriv"), _UTIL_LINUX_PRINTS),
    **dict.fromkeys(("prlimit", "nsenter", "setarch", "linux32", "linux64", "choom", "runuser"), _UTIL_LINUX_PRINTS),
    **dict.fromkeys(("script", "strace"), _UTIL_LINUX_PRINTS),
    "watch": _GNU_PRINTS | {"-h", "-v"},
    # GNU time prints; the bash keyword would run a command named --version, found nowhere.
    "time": _GNU_PRINTS | {"-V"},
}
# Wrapper options that take two values (bwrap --bind SRC DEST).
_TWO_VALUES: dict[str, frozenset[str]] = {
    "bwrap": frozenset(
        {
            "--setenv",
            "--bind",
            "--bind-try",
            "--dev-bind",
            "--dev-bind-try",
            "--ro-bind",
            "--ro-bind-try",
            "--file",
            "--bind-data",
            "--ro-bind-data",
            "--symlink",
            "--chmod",
            "--ro-overlay",
        }
    ),
}
# Wrappers whose option value is itself a shell command string.
_STRING_OPTS: dict[str, frozenset[str]] = {
    "su": frozenset({"-c", "--command", "--session-command"}),
    "runuser": frozenset({"-c", "--command", "--session-command"}),
    "script": frozenset({"-c", "--command"}),
    "flock": frozenset({"-c", "--command"}),
    "nix-shell": frozenset({"--run", "--command"}),
    "sg": frozenset({"-c"}),
    "npx": frozenset({"-c", "--call"}),
}
_SHELL_OPTS_WITH_VALUE = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})
_INTERPRETERS = (
    "python",
    "pypy",
    "node",
    "nodejs",
    "bun",
    "deno",
    "perl",
    "ruby",
    "php",
    "lua",
    "rscript",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "tclsh",
    "osascript",
    "jshell",
)


class Step:
    """kind: 'argv' (run ``argv``), 'text' (a shell command string, ``text`` None if unknown),
    'stdin' (a shell reading its script from stdin), 'file' (a shell script file ``path``),
    'append' (``argv`` plus items read from stdin; ``replace`` is xargs -I's string),
    'parallel' (GNU parallel: ``argv`` template, ``items``), 'argvs' (several argvs: find -exec),
    'code' (interpreter ``lang`` with
    ``text`` as code, ``path`` a script file, or reading stdin), 'none' (nothing runs)."""

    __slots__ = (
        "arg0",
        "argv",
        "argvs",
        "items",
        "kind",
        "label",
        "lang",
        "module",
        "path",
        "positional",
        "replace",
        "text",
        "xargs",
    )

    def __init__(
        self,
        kind: str,
        label: str,
        argv: Argv | None = None,
        text: Field = None,
        path: Field = None,
        positional: list[Field] | None = None,
        replace: Field = None,
        lang: str = "",
        items: list[Field] | None = None,
        argvs: list[Argv] | None = None,
        module: Field = None,
        xargs: XargsCommand | None = None,
        arg0: list[Field] | None = None,
    ) -> None:
        self.kind = kind
        self.label = label
        self.argv = argv
        self.text = text
        self.path = path
        self.positional = positional
        self.replace = replace
        self.lang = lang
        self.items = items
        self.argvs = argvs
        self.module = module  # python -m MODULE (None: not -m, or not known)
        self.xargs = xargs  # xargs: its options, read (bash.xargs)
        # A shell's $0 ([value]); None: the text keeps the one it is in (eval). For an argv: the
        # argv[0] the program is given, when not the name it is run by (exec -a).
        self.arg0 = arg0


def wrapper_table() -> dict[str, tuple[frozenset[str], int]]:
    """The one wrapper table (options taking a value, operands before the command), shared
    with the write guard so that both follow the same wrappers."""
    return dict(_SIMPLE)


def env_offset(args: Argv) -> int | None:
    """Where env's command starts in its arguments (``env -iu NAME CMD``), as ``unwrap`` reads
    them; None when it runs none (``--version``) or runs a string (``-S``)."""
    step = _env(["env", *args])
    if step.kind == "argv" and step.argv is not None:
        return len(args) - len(step.argv)
    return None if step.kind == "none" and step.label != "env" else len(args)


def command_offset(name: str, args: Argv) -> int | None:
    """Where the command starts in the arguments of a wrapper of the table, options read as
    ``unwrap`` reads them (clusters such as ``strace -qo FILE``); None when the wrapper only
    prints (``--help``, ``--version``) and runs nothing. For the write guard."""
    step = _simple([name, *args], name)
    if step.kind == "none" and step.label != name:
        return None
    if step.kind == "argv" and step.argv is not None:
        return len(args) - len(step.argv)
    with_value, positional = _SIMPLE[name]
    return _skip_options(args, with_value, max(positional, 0), _TWO_VALUES.get(name, frozenset()))[0]


def two_value_options() -> dict[str, frozenset[str]]:
    """Per wrapper, the options of the table that take two values (``bwrap --bind SRC DEST``)."""
    return dict(_TWO_VALUES)


def search_entries(value: str, cwd: str) -> list[str]:
    """The directories of a PATH value in search order: an empty entry is the working directory,
    a relative one is taken from it (as bash and execvp do); ``INHERITED_PATH`` stays as it is."""
    out = []
    for entry in value.split(":"):
        if entry == INHERITED_PATH:
            out.append(entry)
        elif not entry.startswith("/"):
            out.append(os.path.normpath(os.path.join(cwd, entry or ".")))
        else:
            out.append(os.path.normpath(entry))
    return out


def basename(name: str) -> str:
    return name.rstrip("/").rsplit("/", 1)[-1]


def interpreter(name: str) -> str:
    """The interpreter family of a program name ('python3.11' -> 'python'), or ''."""
    low = name.lower()
    for family in _INTERPRETERS:
        if low.startswith(family):
            rest = low[len(family) :]
            if not rest or rest[0].isdigit() or rest[0] in ".-":
                return "awk" if family.endswith("awk") else family
    return ""


# GNU tools under their Homebrew names (macOS): the same programs.
_GNU_NAMES = {"g" + n: n for n in ("timeout", "stdbuf", "env", "nice", "nohup", "chroot", "xargs", "find", "time")}


def unwrap(argv: Argv) -> Step | None:
    """What ``argv`` leads to, or None when it is an ordinary program."""
    name = basename(argv[0] or "")
    name = _GNU_NAMES.get(name, name)
    if name in SHELLS:
        return _shell(argv, name)
    handler = _SPECIAL.get(name)
    if handler is not None:
        return handler(argv)
    if name in _SIMPLE:
        return _simple(argv, name)
    ran = runners.commands(name, argv[1:])
    if ran is not None:
        return _ran(name, *ran)
    lang = interpreter(name)
    if lang:
        step = _interpreter(argv, lang)
        step.argv = argv  # the interpreter's own options decide what loads (python -P, node -c, perl -c)
        return step
    return None


def _ran(name: str, argvs: list[Argv], texts: list[Field]) -> Step:
    """What a program of ``runners`` runs: argvs, or command lines (one text, a line each)."""
    if texts:
        return Step("text", name, text=None if None in texts else "\n".join(t or "" for t in texts))
    return Step("argvs", name, argvs=argvs) if argvs else Step("none", name)


def _skip_options(
    args: Argv, with_value: frozenset[str], positional: int = 0, two: frozenset[str] = frozenset()
) -> tuple[int, dict[str, Field]]:
    """Index of the command after options (and ``positional`` leading operands); an unknown word
    where an option may be stops there (``seen["?"]`` is set)."""
    i, seen = 0, dict[str, Field]()
    while i < len(args):
        arg = args[i]
        if arg is None:
            seen["?"] = None
            return i, seen
        if arg == "--":
            i += 1
            break
        if arg in two:
            i += 3
            continue
        if arg.startswith("-") and len(arg) > 1:
            key = arg.split("=", 1)[0]
            if key in with_value and "=" not in arg:
                seen[key] = args[i + 1] if i + 1 < len(args) else None
                i += 2
                continue
            if arg.startswith("--") or key in with_value:
                seen[key] = arg.split("=", 1)[1] if "=" in arg else ""
            elif last := _cluster(arg, with_value, seen):
                seen[last] = args[i + 1] if i + 1 < len(args) else None
                i += 1  # the cluster's last option takes the next word (strace -qo FILE)
            i += 1
            continue
        break
    return min(i + positional, len(args)), seen


def _cluster(arg: str, with_value: frozenset[str], seen: dict[str, Field]) -> str:
    """A cluster of short options (``-qfo``, ``-c3``) read as getopt reads it: each letter an
    option; one taking a value takes the rest of the cluster, or the next word when it ends the
    cluster (that option is returned; else "")."""
    for k in range(1, len(arg)):
        opt = "-" + arg[k]
        if opt in with_value:
            if k + 1 < len(arg):
                seen[opt] = arg[k + 1 :]
                return ""
            return opt
        seen[opt] = ""
    return ""


def _simple(argv: Argv, name: str) -> Step:
    with_value, positional = _SIMPLE[name]
    args = argv[1:]
    if name in ("uv", "poetry", "pipenv", "pdm", "conda", "mamba") and (args[:1] != ["run"]):
        return Step("none", name)
    if name == "direnv" and args[:1] != ["exec"]:
        return Step("none", name)
    if positional < 0:  # setarch [ARCH] [options] PROGRAM
        if args[:1] == [None]:
            return _after_unknown(name, args, 1)
        args, positional = args[1:] if args and not (args[0] or "").startswith("-") else args, 0
    i, seen = _skip_options(args, with_value, positional, _TWO_VALUES.get(name, frozenset()))
    printed = next((opt for opt in seen if opt in _PRINT_ONLY.get(name, ())), None)
    if printed is not None:  # every option before it is known: none took it as its value
        return Step("none", f"{name} {printed}")
    if "?" in seen and name not in _STRING_OPTS and name not in ("sudo", "watch", "sg", "su"):
        # An unknown word where an option may be: it is an operand or an option before the
        # command, or the command itself when no operand comes first.
        return _after_unknown(name, args, i + 1 if positional else i)
    string_opts = _STRING_OPTS.get(name, frozenset())
    for opt in string_opts:
        if opt in seen:
            return Step("text", f"{name} {opt}", text=seen[opt])
    if string_opts:
        text = _clustered_c(args, i)
        if text is not False:
            return Step("text", f"{name} -c", text=text if isinstance(text, str) else None)
    step = _shell_text(name, args[i:], seen)
    if step is not None:
        return step
    if name == "nice" and i < len(args) and (args[i] or "").lstrip("-").isdigit():
        i += 1
    if not args[i:]:
        return Step("none", name)
    return Step("argv", name, argv=args[i:], arg0=_given_arg0(name, seen, args[i]))


def _given_arg0(name: str, seen: dict[str, Field], program: Field) -> list[Field] | None:
    """The argv[0] a wrapper gives its program instead of the name it runs (``exec -a NAME``,
    ``exec -l``: a leading dash, ``bwrap --argv0 NAME``): git dispatches on it (``git-add``)."""
    if name == "exec" and ("-a" in seen or "-l" in seen):
        given = seen.get("-a", program)
        return [None if given is None else ("-" + given if "-l" in seen else given)]
    if name == "bwrap" and "--argv0" in seen:
        return [seen["--argv0"]]
    return None


def _shell_text(name: str, rest: Argv, seen: dict[str, Field]) -> Step | None:
    """Wrappers that hand their words to a shell as one command line (``sudo -s``, ``sem``,
    ``watch``, ``sg``); ``su`` without ``-c`` runs none."""
    if name == "sudo" and ("-s" in seen or "-i" in seen or "--shell" in seen) and rest:
        return Step("text", "sudo -s", text=_join(rest))
    if name == "watch" and "-x" not in seen and "--exec" not in seen:
        return Step("text", "watch", text=_join(rest))
    if name == "su":
        return Step("none", name)
    if name in ("sem", "sg"):  # parallel --semaphore; sg GROUP COMMAND (for /bin/sh -c)
        return Step("text", name, text=_join(rest)) if rest else Step("none", name)
    return None


def _after_unknown(name: str, args: Argv, start: int) -> Step:
    """Each command the words from ``start`` on may be (an unknown word may be several)."""
    argvs = [args[k:] for k in range(start, min(len(args), start + 6))]
    return Step("argvs", name, argvs=argvs) if argvs else Step("none", name)


def _clustered_c(args: Argv, after: int) -> Field | bool:
    """``script -qc CMD``, ``flock FILE -c CMD``: a -c given in a cluster or after operands."""
    for j, arg in enumerate(args):
        if (
            arg is not None
            and arg.startswith("-")
            and not arg.startswith("--")
            and arg.endswith("c")
            and (j >= after or len(arg) > 2)
        ):
            return args[j + 1] if j + 1 < len(args) else None
    return False


def _tmux(argv: Argv) -> Step:
    """tmux/screen run their last arguments as a shell command (new-session, send-keys...)."""
    args = argv[1:]
    values = frozenset({"-s", "-n", "-c", "-t", "-x", "-y", "-F", "-e", "-S", "-L", "-f", "-T"})
    words: list[Field] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is not None and arg in values:
            i += 2
            continue
        if arg is None or not arg.startswith("-"):
            words.append(arg)
        i += 1
    name = basename(argv[0] or "tmux")
    command = words if name == "screen" else words[1:]
    return Step("text", name, text=_join(command)) if command else Step("none", name)


def _ssh(argv: Argv) -> Step:
    """ssh HOST COMMAND...: the remote shell runs the joined words (the host may be this one)."""
    values = frozenset(
        {
            "-p",
            "-i",
            "-l",
            "-o",
            "-F",
            "-J",
            "-L",
            "-R",
            "-D",
            "-b",
            "-c",
            "-E",
            "-e",
            "-m",
            "-O",
            "-Q",
            "-S",
            "-W",
            "-w",
            "-B",
            "-I",
        }
    )
    i, _seen = _skip_options_attached(argv[1:], values, frozenset())
    rest = argv[1 + i :]
    if len(rest) < 2:
        return Step("none", "ssh")
    return Step("text", f"ssh {rest[0]}", text=_join(rest[1:]))


def _join(args: Argv) -> Field:
    return None if any(a is None for a in args) else " ".join(a or "" for a in args)


def _env(argv: Argv) -> Step:
    args = list(argv[1:])
    i, argv0 = 0, None  # env -a/--argv0 NAME (coreutils 9.5): the program's argv[0]
    while i < len(args):
        arg = args[i]
        if arg is None:
            return Step("argv", "env", argv=args[i:])
        if arg in _GNU_PRINTS:
            return Step("none", f"env {arg}")  # env prints and exits (only among its options)
        if arg.startswith("--split-string=") or arg == "--split-string":
            text = arg.split("=", 1)[1] if "=" in arg else args[i + 1] if i + 1 < len(args) else ""
            return Step("text", "env -S", text=_join([text, *args[i + (1 if "=" in arg else 2) :]]))
        if arg in ("--unset", "--chdir", "--argv0"):
            argv0 = [args[i + 1] if i + 1 < len(args) else None] if arg == "--argv0" else argv0
            i += 2
        elif arg.startswith("--argv0="):
            argv0 = [arg.split("=", 1)[1]]
            i += 1
        elif arg == "--":
            i += 1
            break
        elif arg.startswith("-") and not arg.startswith("--") and len(arg) > 1:
            extra, letter, text = _env_cluster(arg, args[i + 1] if i + 1 < len(args) else "")
            if letter == "S":
                return Step("text", "env -S", text=_join([text, *args[i + 1 + extra :]]))
            argv0 = [text] if letter == "a" else argv0
            i += 1 + extra
        elif arg.startswith("-"):
            i += 1
        elif "=" in arg and not arg.startswith("="):
            while i < len(args) and _assignment(args[i]):
                i += 1  # NAME=VALUE ends env's options: the words after it are more of them, then the command
            break
        else:
            break
    return Step("argv", "env", argv=args[i:], arg0=argv0) if args[i:] else Step("none", "env")


def _assignment(word: Field) -> bool:
    return word is not None and "=" in word and not word.startswith("=")


def _env_cluster(arg: str, following: Field) -> tuple[int, str, Field]:
    """env's short options in one word (``-iu NAME``, ``-iS'...'``): the words after it they
    take (0 or 1), the option taking a value (u, C, S, a; "" for none), and its value."""
    for k in range(1, len(arg)):
        if arg[k] in "uCSa":
            value = arg[k + 1 :]
            return (0 if value else 1), arg[k], (value or following)
    return 0, "", None


def _command(argv: Argv) -> Step:
    args = argv[1:]
    i = 0
    while i < len(args) and args[i] is not None and (args[i] or "").startswith("-"):
        if args[i] in ("-v", "-V"):
            return Step("none", "command -v")
        i += 1
    return Step("argv", argv[0] or "command", argv=args[i:]) if args[i:] else Step("none", "command")


def _shell(argv: Argv, name: str) -> Step:
    args = argv[1:]
    if name == "busybox":
        return Step("argv", "busybox", argv=args) if args else Step("none", name)
    i, command_mode, stdin_mode = 0, False, False
    while i < len(args):
        arg = args[i]
        if arg is None:
            return Step("text", name, text=None)
        if arg in ("--", "-"):
            i += 1
            stdin_mode = stdin_mode or arg == "-"
            break
        if arg in _SHELL_OPTS_WITH_VALUE:
            i += 2
            continue
        if arg.startswith("--"):
            command_mode = command_mode or arg == "--command"
            i += 1
            continue
        if arg[:1] in ("-", "+") and len(arg) > 1:
            command_mode = command_mode or "c" in arg[1:]
            stdin_mode = stdin_mode or "s" in arg[1:]
            i += 1
            continue
        break
    label = f"{name} -c" if command_mode else name
    if command_mode:
        if i >= len(args):
            return Step("none", label)
        arg0 = args[i + 1] if i + 1 < len(args) else argv[0]
        return Step("text", label, text=args[i], positional=args[i + 2 :], arg0=[arg0])
    if i < len(args) and not stdin_mode:
        shown = "<(...)" if (args[i] or "").startswith(PSUB) else args[i]
        return Step("file", f"{name} {shown}", path=args[i], positional=args[i + 1 :], arg0=[args[i]])
    return Step("stdin", f"{name} reading stdin", positional=args[i:], arg0=[argv[0]])


def _eval(argv: Argv) -> Step:
    return Step("text", "eval", text=_join(argv[1:]))


def _source(argv: Argv) -> Step:
    if len(argv) < 2:
        return Step("none", "source")
    path = argv[1]
    if path in ("/dev/stdin", "-", "/proc/self/fd/0", "/dev/fd/0"):
        return Step("stdin", "source /dev/stdin", positional=argv[2:])
    label = "source <(...)" if path is not None and path.startswith(PSUB) else f"source {path}"
    return Step("file", label, path=path, positional=argv[2:])


def _trap(argv: Argv) -> Step:
    args = [a for a in argv[1:] if a not in ("-p", "-l", "--")]
    return Step("text", "trap", text=args[0]) if len(args) > 1 else Step("none", "trap")


def _xargs(argv: Argv) -> Step:
    command = XargsCommand(argv[1:])
    given, path = command.arg_file()
    label = "xargs -a" if given else "xargs"
    return Step("append", label, argv=command.argv, path=path if given else None, xargs=command)


def _skip_options_attached(
    args: Argv, values: frozenset[str], optional: frozenset[str]
) -> tuple[int, dict[str, Field]]:
    """Options where the value may be attached (``-I{}``) or, for ``optional``, absent."""
    i, seen = 0, dict[str, Field]()
    while i < len(args):
        arg = args[i]
        if arg is None or not arg.startswith("-") or arg == "-":
            break
        if arg == "--":
            i += 1
            break
        key, eq, val = arg.partition("=")
        if eq and key in values:
            seen[key] = val
        elif arg in values and arg not in optional:
            seen[arg] = args[i + 1] if i + 1 < len(args) else None
            i += 1
        elif arg[:2] in values and len(arg) > 2 and not arg.startswith("--"):
            seen[arg[:2]] = arg[2:]
        else:
            seen[arg] = ""
        i += 1
    return i, seen


def _parallel(argv: Argv) -> Step:
    values = frozenset(
        {
            "-j",
            "--jobs",
            "-S",
            "--sshlogin",
            "-a",
            "--arg-file",
            "-I",
            "-N",
            "-n",
            "-L",
            "--joblog",
            "--results",
            "--delay",
            "--timeout",
            "--tmpdir",
            "--workdir",
            "--colsep",
            "-d",
            "--delimiter",
            "-E",
            "--max-args",
        }
    )
    args = argv[1:]
    i, _seen = _skip_options_attached(args, values, frozenset())
    rest = args[i:]
    for sep in (":::", "::::", ":::+", "::::+"):
        if sep in rest:
            at = rest.index(sep)
            items = [a for a in rest[at + 1 :] if a not in (":::", "::::", ":::+", "::::+")]
            return Step("parallel", "parallel", argv=rest[:at], items=items)
    return Step("parallel", "parallel", argv=rest, items=None)


def _find(argv: Argv) -> Step:
    args = argv[1:]
    found: list[Argv] = []
    actions: list[Field] = []  # the action of each (-exec, -ok...): -ok asks on stdin first
    i = 0
    while i < len(args):
        if args[i] in ("-exec", "-execdir", "-ok", "-okdir"):
            end = i + 1
            while end < len(args) and args[end] not in (";", "+"):
                end += 1
            found.append([None if a is not None and "{}" in a else a for a in args[i + 1 : end]])
            actions.append(args[i])
            i = end
        i += 1
    return Step("argvs", "find -exec", argv=argv, argvs=found, items=actions) if found else Step("none", "find")


def _fd(argv: Argv) -> Step:
    args = argv[1:]
    for i, arg in enumerate(args):
        if arg in ("-x", "--exec", "-X", "--exec-batch"):
            inner = [None if a is not None and "{" in a else a for a in args[i + 1 :] if a != ";"]
            return Step("argv", f"fd {arg}", argv=inner)
    return Step("none", "fd")


def _interpreter(argv: Argv, lang: str) -> Step:
    """Inline code (-c, -e, awk programs), a script file, or code read from stdin."""
    args = argv[1:]
    label = basename(argv[0] or lang)
    flags = {
        "python": ("-c",),
        "pypy": ("-c",),
        "node": ("-e", "--eval", "-p", "--print"),
        "nodejs": ("-e", "--eval", "-p", "--print"),
        "bun": ("-e", "--eval", "-p"),
        "deno": ("eval",),
        "perl": ("-e", "-E"),
        "ruby": ("-e",),
        "php": ("-r",),
        "lua": ("-e",),
        "rscript": ("-e",),
        "tclsh": (),
        "osascript": ("-e",),
        "awk": ("--source",),
        "jshell": (),
    }[lang]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None:
            return Step("code", label, lang=lang, text=None)
        if (
            arg in flags
            or (
                lang in ("python", "pypy", "perl", "ruby")
                and arg.startswith("-")
                and not arg.startswith("--")
                and arg[-1:] in ("eE" if lang == "perl" else "ceE")  # perl -c only compiles: not code
                and len(arg) > 2
                and arg[1:].isalpha()
            )
        ):
            code = args[i + 1] if i + 1 < len(args) else ""
            return Step("code", f"{label} {arg}", lang=lang, text=code, positional=args[i + 2 :])
        if lang == "python" and arg == "-m":
            module = args[i + 1] if i + 1 < len(args) and args[i + 1] is not None else "?"
            return Step("code", f"{label} -m {module}", lang=lang, module=module, positional=args[i + 2 :])
        if lang == "awk" and arg in ("-f", "--file"):
            return Step("code", f"{label} -f", lang=lang, path=args[i + 1] if i + 1 < len(args) else None)
        if arg == "-" or arg == "--":
            return Step("code", f"{label} reading stdin", lang=lang, text=None, path="-")
        if arg.startswith("-"):
            i += 2 if (lang == "awk" and arg in ("-F", "-v")) else 1
            continue
        if lang == "awk":
            return Step("code", label, lang=lang, text=arg, positional=args[i + 1 :])
        return Step("code", f"{label} {arg}", lang=lang, path=arg, positional=args[i + 1 :])
    return Step("code", f"{label} reading stdin", lang=lang, text=None, path="-")


def _nix_shell(argv: Argv) -> Step:
    return _simple_string(argv, "nix-shell")


def _simple_string(argv: Argv, name: str) -> Step:
    _i, seen = _skip_options(argv[1:], _STRING_OPTS[name])
    for opt in _STRING_OPTS[name]:
        if opt in seen:
            return Step("text", f"{name} {opt}", text=seen[opt])
    return Step("none", name)


_SPECIAL = {
    "env": _env,
    "command": _command,
    "eval": _eval,
    "source": _source,
    ".": _source,
    "trap": _trap,
    "xargs": _xargs,
    "parallel": _parallel,
    "find": _find,
    "fd": _fd,
    "fdfind": _fd,
    "nix-shell": _nix_shell,
    "tmux": _tmux,
    "screen": _tmux,
    "ssh": _ssh,
}
