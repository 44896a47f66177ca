"""Programs that run a command given in their operands, read fail-closed: perf stat, gosu,
``mise exec``, ``bundle exec``, ``op run --``, sandbox-exec, hyperfine... Their options are not
all known here, so each word that may start the command (not an option) is taken as its start
(``perf stat -e cycles git status`` may run ``cycles git status`` or ``git status``): a command
is harmless only when every reading is. Those taking shell command strings (hyperfine,
concurrently, ``nodemon --exec``) have each such word read as a command line. Part of the one
wrapper table (``resolve.wrapper_table``). Stdlib only.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from integration_engineer.bash.expand import Argv

ALWAYS: tuple[tuple[str, ...], ...] = ((),)
_EXEC = (("exec",),)
_RUN = (("run",),)
# Per program: the leading words with which it runs its command (ALWAYS: with none).
RUNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "perf": tuple(
        tuple(lead.split())
        for lead in (
            *("stat", "record", "trace", "ftrace", "iostat", "sched record", "lock record", "mem record"),
            *("c2c record", "kmem record", "kwork record", "timechart record", "trace record", "kvm record"),
            "kvm stat",
        )
    ),
    **dict.fromkeys(("gosu", "su-exec", "chpst", "setuidgid", "envuidgid", "envdir", "softlimit"), ALWAYS),
    **dict.fromkeys(("setlock", "dbus-launch", "aa-exec", "flatpak-spawn", "rootlesskit", "fakechroot"), ALWAYS),
    **dict.fromkeys(("proot", "schroot", "catatonit", "rlwrap", "ifne", "nq", "tsp", "trickle", "cgexec"), ALWAYS),
    **dict.fromkeys(("hwloc-bind", "arch", "sandbox-exec", "systemd-inhibit", "systemd-cat", "daemonize"), ALWAYS),
    **dict.fromkeys(("dtach", "abduco", "xterm", "gnome-terminal", "konsole", "uvx", "dotenv", "env-cmd"), ALWAYS),
    **dict.fromkeys(("cross-env", "entr", "lckdo", "with-lock-ex", "s6-setuidgid", "runcon", "capsh"), ALWAYS),
    **dict.fromkeys(("mise", "rtx"), (("exec",), ("x",))),
    **dict.fromkeys(("asdf", "pyenv", "rbenv", "nodenv", "goenv", "jenv", "plenv", "phpenv", "bundle"), _EXEC),
    **dict.fromkeys(("bundler", "aws-vault", "chamber", "ip"), (*_EXEC, ("netns", "exec"))),
    **dict.fromkeys(("pipx", "devbox", "hatch", "rye", "micromamba", "op", "doppler", "infisical"), _RUN),
    "pixi": (("run",), ("exec",)),
    "nix": (("develop",), ("shell",)),
    "podman": (("unshare",),),
    "buildah": (("unshare",),),
    "start-stop-daemon": ALWAYS,
}
# Programs whose operands (or some option's values) are shell command lines.
SHELL_STRINGS = frozenset({"hyperfine", "concurrently", "nodemon", "watchexec", "cross-env-shell", "sops"})
_MAX_STARTS = 8


def commands(name: str, args: Argv) -> tuple[list[Argv], list[str | None]] | None:
    """The argvs ``name args`` may run and the command lines it may hand a shell, or None when
    it is no such program (or its words say it runs nothing: ``bundle install``)."""
    if name in SHELL_STRINGS:
        return [], [a for a in args if a is None or not a.startswith("-")]
    leads = RUNS.get(name)
    if leads is None:
        return None
    lead = next((lead for lead in leads if _starts_with(args, lead)), None)
    if lead is None:
        return [], []
    rest = args[len(lead) :]
    if name == "start-stop-daemon":
        return _daemon(rest), []
    starts = [k for k, a in enumerate(rest) if a is None or not a.startswith("-") or a == "-"]
    if name == "capsh":  # capsh ... -- ARGS: bash runs ARGS
        at = rest.index("--") if "--" in rest else -1
        return ([["bash", *rest[at + 1 :]]] if at >= 0 else []), []
    return [rest[k:] for k in starts[:_MAX_STARTS]], []


def _daemon(args: Argv) -> list[Argv]:
    """``start-stop-daemon --start --exec PROG [--startas PROG] -- ARGS`` runs PROG ARGS (only
    with --start, -S)."""
    if not any(a in ("--start", "-S") for a in args):
        return []
    program: Argv = []
    for k, arg in enumerate(args[:-1]):
        if arg in ("--exec", "-x", "--startas", "-a"):
            program = [args[k + 1]]
        elif arg is None:
            program = [None]
    after = args[args.index("--") + 1 :] if "--" in args else []
    return [[*program, *after]] if program else [[None]]


def _starts_with(args: Argv, lead: tuple[str, ...]) -> bool:
    return len(args) >= len(lead) and all(a == w for a, w in zip(args, lead, strict=False))
