"""Git's own command-running settings, and the verbs that really run them.

A setting that carries a command (``core.editor``, ``core.sshCommand``, ``diff.external``...) is a
danger only on a verb that starts it: ``git -c core.editor='git push' log`` runs no editor, and
``git diff --no-ext-diff`` (or ``--stat``) no external diff; each rule was checked by running the
verb with the setting pointing at a script that runs git, under GIT_TRACE (tests/cases/*/forms/
gitcfg__*). ``commands(verb, args, config, env, tty)`` lists what a verb may start: (where it comes
from, the command text, None when unknown). The pager runs only when git's output is a terminal:
the Bash tool's output is a pipe, so only under a wrapper that gives a terminal (``script``, ``unbuffer``,
``expect``, ``tmux``, ``screen``) is it counted.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

# Verbs that may open the editor (commit-ish verbs; tag/branch/config/notes only with some options).
EDITOR_VERBS = frozenset(
    {"commit", "merge", "rebase", "am", "cherry-pick", "revert", "pull", "notes", "citool", "send-email", "add"}
)
# Verbs that talk to a remote (ssh, credential helpers, askpass, upload/receive-pack).
NETWORK_VERBS = frozenset(
    {
        "fetch",
        "push",
        "pull",
        "clone",
        "ls-remote",
        "remote",
        "submodule",
        "fetch-pack",
        "send-pack",
        "archive",
        "request-pull",
        "credential",
        "maintenance",
        "gc",
    }
)
# Verbs that show diffs with an external diff only when asked (--ext-diff); diff uses it unless told not.
_EXT_DIFF_ON_ASK = frozenset({"log", "show", "whatchanged", "diff-files", "diff-index", "diff-tree", "stash"})
# Verbs that fire hooks (core.hooksPath, or the repository's own hooks directory).
HOOK_VERBS: dict[str, tuple[str, ...]] = {
    "checkout": ("post-checkout",),
    "switch": ("post-checkout",),
    "worktree": ("post-checkout",),
    "clone": ("post-checkout",),
    "gc": ("pre-auto-gc",),
    "maintenance": ("pre-auto-gc",),
    "commit": ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"),
    "merge": ("pre-merge-commit", "post-merge"),
    "push": ("pre-push",),
    "rebase": ("pre-rebase", "post-rewrite"),
    "am": ("applypatch-msg", "pre-applypatch", "post-applypatch"),
}
PTY_WRAPPERS = frozenset({"script", "unbuffer", "expect", "tmux", "screen"})
# Options of ``git diff`` that print no patch (checked with GIT_EXTERNAL_DIFF and GIT_TRACE), and
# options that change nothing about whether one is printed.
_NO_PATCH_FORMATS = frozenset(
    {"--stat", "--numstat", "--shortstat", "--name-only", "--name-status", "--raw", "--summary", "--dirstat"}
    | {"-s", "--no-patch"}
)
_NO_PATCH = _NO_PATCH_FORMATS | {"--", "--cached", "--staged", "--no-color", "--no-ext-diff", "--no-textconv"}
_NO_PATCH_VALUED = frozenset({"--stat", "--dirstat"})
# Verbs that never read files' contents to show them (no textconv), that never read or write
# work-tree files (no clean/smudge filter), that never read the index (no fsmonitor) -- each
# checked by running it with the driver set to a script that runs git (GIT_TRACE).
_NO_CONTENT_VERBS = frozenset({"rev-parse", "config", "branch", "for-each-ref", "show-ref"})
_NO_WORKTREE_VERBS = frozenset({"log", "show", "rev-parse", "rev-list", "config", "branch", "show-ref"})
_NO_INDEX_VERBS = frozenset(
    {"rev-parse", "log", "show", "rev-list", "config", "branch", "tag", "for-each-ref", "show-ref", "cat-file"}
)
# Sections whose ``.cmd`` only difftool/mergetool run (difftool falls back to mergetool.NAME.cmd).
_TOOL_SECTIONS = ("difftool.", "mergetool.")
_PER_DRIVER = (".textconv", ".command", ".clean", ".smudge", ".process", ".driver", ".cmd")
_EDITOR_VARS = ("GIT_EDITOR", "VISUAL", "EDITOR")
_SSH_VARS = ("GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS")


def _uses_editor(verb: str, args: list[str | None]) -> bool:
    if verb in EDITOR_VERBS:
        return True
    if verb == "tag":
        return any(
            a is None or a in ("-a", "-s", "-e", "--annotate", "--sign", "--edit") or a[:2] == "-u" for a in args
        )
    if verb == "branch":
        return "--edit-description" in args
    if verb == "config":
        return "-e" in args or "--edit" in args
    return verb == "stash" and any(a in ("-p", "--patch") for a in args)


def _uses_ext_diff(verb: str, args: list[str | None]) -> bool:
    # A later --ext-diff (or an abbreviation, or an unknown word) turns it back on.
    asks = any(a is None or a.startswith("--ext") for a in args)
    if "--no-ext-diff" in args and not asks:
        return False
    if verb == "diff":
        return _patch_output(args)
    return verb in _EXT_DIFF_ON_ASK and asks


def _patch_output(args: list[str | None]) -> bool:
    """Whether ``git diff ARGS`` may print a patch (the only output an external diff makes):
    False only when every option is a known one that prints no patch (``--stat``, ``--name-only``...)."""
    options = [a for a in args if a is None or a[:1] == "-"]
    if any(a is None or (a not in _NO_PATCH and a.split("=", 1)[0] not in _NO_PATCH_VALUED) for a in options):
        return True
    return not any(a in _NO_PATCH_FORMATS or a.split("=", 1)[0] in _NO_PATCH_VALUED for a in options if a)


def _uses_textconv(verb: str, args: list[str | None]) -> bool:
    """Whether a textconv driver (``diff.NAME.textconv``) may run: not with ``--no-textconv`` (unless
    turned back on), not on verbs that show no file contents (``status`` without ``-v``...)."""
    asks = any(a is None or a.startswith("--te") for a in args)
    if "--no-textconv" in args and not asks:
        return False
    if verb == "status":
        return any(a is None or a.startswith("--v") or (a[:1] == "-" and a[1:2] != "-" and "v" in a) for a in args)
    return verb not in _NO_CONTENT_VERBS


def _uses_filters(verb: str) -> bool:
    """Clean/smudge filters run only where git reads or writes work-tree files."""
    return verb not in _NO_WORKTREE_VERBS


def _reads_index(verb: str, args: list[str | None]) -> bool:
    """core.fsmonitor runs when the index is read; these verbs read it only for ``:path`` names
    (and rev-list's ``--indexed-objects``)."""
    if verb not in _NO_INDEX_VERBS:
        return True
    return any(a is None or ":" in a or a.startswith("--ind") for a in args)


def commands(
    verb: str,
    args: list[str | None],
    config: dict[str, str | None],
    env: Callable[[str], list[str | None] | None],
    tty: bool,
) -> list[tuple[str, str | None]]:
    """What ``git VERB ARGS`` may start from its settings: ``config`` (``-c`` keys, lower case,
    ``"?"`` for an unknown one) and the environment (``env(NAME)``: values, None when unset here)."""
    found: list[tuple[str, str | None]] = []

    def keys(*names: str) -> None:
        for name in names:
            if name in config:
                found.append((f"git -c {name}", config[name]))

    def variables(*names: str) -> None:
        for name in names:
            for value in env(name) or []:
                found.append((f"{name}=...", value))

    if _uses_editor(verb, args):
        keys("core.editor")
        variables(*_EDITOR_VARS)
    if verb == "rebase":
        keys("sequence.editor")
        variables("GIT_SEQUENCE_EDITOR")
    if verb in NETWORK_VERBS:
        keys("core.sshcommand", "core.askpass", "uploadpack.packobjectshook", "core.alternaterefscommand")
        found.extend((f"git -c {k}", v) for k, v in config.items() if k.startswith("credential."))
        found.extend((f"git -c {k}", v) for k, v in config.items() if k.startswith("remote."))
        variables(*_SSH_VARS)
    if _uses_ext_diff(verb, args):
        keys("diff.external")
        variables("GIT_EXTERNAL_DIFF")
    if tty:
        keys("core.pager", f"pager.{verb}")
        variables("GIT_PAGER", "PAGER")
    if verb in ("add", "checkout", "reset", "restore", "stash", "commit"):
        keys("interactive.difffilter")
    if verb in ("commit", "tag", "merge", "verify-commit", "verify-tag", "log", "show", "rebase", "am"):
        found.extend((f"git -c {k}", v) for k, v in config.items() if k.startswith("gpg.") and k.endswith("program"))
    return found + _index_and_drivers(verb, args, config)


def _index_and_drivers(
    verb: str, args: list[str | None], config: dict[str, str | None]
) -> list[tuple[str, str | None]]:
    """fsmonitor (verbs that read the index), drivers named in .gitattributes, difftool/mergetool
    commands, and an unknown setting."""
    found = [(f"git -c {k}", v) for k, v in config.items() if _driver_runs(k, verb, args)]
    if "core.fsmonitor" in config and _reads_index(verb, args):
        found.append(("git -c core.fsmonitor", config["core.fsmonitor"]))
    if verb in ("difftool", "mergetool"):
        tools = _TOOL_SECTIONS if verb == "difftool" else ("mergetool.",)
        found.extend((f"git -c {k}", v) for k, v in config.items() if k.startswith(tools))
    # An unknown setting matters to every verb but a plain read of the configuration.
    if "?" in config and (verb != "config" or _uses_editor(verb, args) or None in args):
        found.append(("git -c (not known statically)", None))
    return found


def _driver_runs(key: str, verb: str, args: list[str | None]) -> bool:
    """Whether a driver named in .gitattributes (``diff.NAME.textconv``, ``filter.NAME.clean``...) may run."""
    if key.count(".") < 2 or not key.endswith(_PER_DRIVER) or key.startswith(_TOOL_SECTIONS):
        return False
    if key.startswith("diff.") and key.endswith(".textconv"):
        return _uses_textconv(verb, args)
    if key.startswith("filter."):
        return _uses_filters(verb) or None in args
    return True


def option_commands(verb: str, args: list[str | None]) -> list[tuple[str, str | None]]:
    """Commands given as the verb's own options (``--upload-pack``, ``grep -O``, ``difftool -x``,
    ``filter-branch --tree-filter``, ``ext::`` transports)."""
    takes = {
        "fetch": ("--upload-pack",),
        "pull": ("--upload-pack",),
        "clone": ("--upload-pack", "-u"),
        "ls-remote": ("--upload-pack", "-u"),
        "push": ("--receive-pack", "--exec"),
        "archive": ("--exec",),
        "grep": ("-O", "--open-files-in-pager"),
        "difftool": ("-x", "--extcmd"),
        "filter-branch": (
            "--env-filter",
            "--tree-filter",
            "--index-filter",
            "--parent-filter",
            "--msg-filter",
            "--commit-filter",
            "--tag-name-filter",
        ),
    }.get(verb, ())
    found: list[tuple[str, str | None]] = []
    for i, arg in enumerate(args):
        if arg is None:
            continue
        for opt in takes:
            if arg == opt and i + 1 < len(args):
                found.append((f"git {verb} {opt}", args[i + 1]))
            elif arg.startswith(opt + "=") or (len(opt) == 2 and arg.startswith(opt) and len(arg) > 2):
                found.append((f"git {verb} {opt}", arg[len(opt) + (1 if arg[len(opt) :][:1] == "=" else 0) :]))
        if arg.startswith("ext::") and verb in NETWORK_VERBS | {"submodule"}:
            found.append((f"git {verb} ext::", arg[5:].replace("%20", " ").replace("% ", " ")))
    return found
