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
# Verbs that show diffs with an external diff only when asked (--ext-diff); diff uses it unless told not.
_EXT_DIFF_ON_ASK = frozenset({"log", "show", "whatchanged", "diff-files", "diff-index", "diff-tree", "stash"})
# Verbs that may contact a remote (which transport: git_transports, from the URL).
CONTACTING_VERBS = frozenset(
    {"fetch", "push", "pull", "clone", "ls-remote", "remote", "submodule", "fetch-pack", "send-pack", "archive"}
    | {"request-pull", "maintenance"}
)
PTY_WRAPPERS = frozenset({"script", "unbuffer", "expect", "tmux", "screen"})
# Options of ``git diff`` that print no patch (checked with GIT_EXTERNAL_DIFF and GIT_TRACE), and
# options that change nothing about whether one is printed.
_NO_PATCH_FORMATS = frozenset(
    {"--stat", "--numstat", "--shortstat", "--name-only", "--name-status", "--raw", "--summary", "--dirstat"}
    | {"-s", "--no-patch", "-q", "--quiet", "--check"}
)
_NO_PATCH = _NO_PATCH_FORMATS | {"--", "--cached", "--staged", "--no-color", "--no-ext-diff", "--no-textconv"}
# Options that change what is compared or how, not whether a patch is printed (each checked with
# --stat/--name-only and diff.external set to a script running git: it never ran).
_NO_PATCH |= {"-w", "-b", "-R", "-z", "-a", "--text", "--exit-code", "--no-renames", "--minimal", "--patience"}
_NO_PATCH |= {"--histogram", "--ignore-all-space", "--ignore-space-change", "--ignore-space-at-eol", "--no-prefix"}
_NO_PATCH |= {"--ignore-cr-at-eol", "--ignore-blank-lines", "--full-index", "--merge-base", "--irreversible-delete"}
_NO_PATCH_VALUED = frozenset({"--stat", "--dirstat"})
_NEUTRAL_VALUED = frozenset({"--relative", "--diff-filter", "--color", "--find-renames", "--find-copies", "--abbrev"})
_NEUTRAL_VALUED |= {"--ignore-submodules", "--diff-algorithm", "--src-prefix", "--dst-prefix", "--line-prefix"}
_NEUTRAL_SHORT = ("-M", "-C", "-B", "-l")  # with an attached number (-M50%)
# Options that make log/whatchanged/diff-tree (whose default is no patch) read the files' contents.
_PATCH_ASKED: tuple[str, ...] = ("-p", "-u", "--patch", "-U", "--unified", "--cc", "-c", "-m", "--word-diff")
_PATCH_ASKED += ("--color-words", "-S", "-G", "--pickaxe", "--remerge-diff", "--dd", "--diff-merges", "--full-diff")
_PATCH_ASKED += ("--patch-with",)
# Verbs whose output is a patch (textconv applies), and verbs that print one only when asked.
_PATCH_VERBS = frozenset({"diff", "show", "range-diff"})
_PATCH_ON_ASK = frozenset({"log", "whatchanged", "diff-tree", "diff-files", "diff-index", "stash", "reflog"})
# Verbs that never read or write work-tree files (no clean/smudge filter), that never read the
# index (no fsmonitor) -- each checked by running it with the driver set to a script that runs
# git (GIT_TRACE).
_NO_WORKTREE_VERBS = frozenset(
    {"log", "show", "rev-parse", "rev-list", "config", "branch", "show-ref", "tag", "for-each-ref", "ls-remote"}
    | {"fetch", "remote", "describe", "shortlog", "ls-tree", "merge-base", "name-rev", "reflog", "count-objects"}
    | {"whatchanged", "cat-file", "notes", "verify-commit", "verify-tag", "fsck", "gc", "pack-refs", "symbolic-ref"}
)
_NO_INDEX_VERBS = frozenset(
    {"rev-parse", "log", "show", "rev-list", "config", "branch", "tag", "for-each-ref", "show-ref", "cat-file"}
)
# Verbs that merge file contents (merge.NAME.driver): the forbidden ones, and these.
_MERGING = frozenset({"merge", "pull", "rebase", "cherry-pick", "revert", "am", "merge-tree", "merge-recursive"})
_MERGING |= {"merge-ort", "merge-resolve", "merge-octopus", "merge-subtree", "merge-index"}
# core.fsmonitor values that name no hook command (true: the built-in daemon, off on Linux).
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0", ""})
# Sections whose ``.cmd`` only difftool/mergetool run (difftool falls back to mergetool.NAME.cmd).
_TOOL_SECTIONS = ("difftool.", "mergetool.")
_PER_DRIVER = (".textconv", ".command", ".clean", ".smudge", ".process", ".driver", ".cmd")
_EDITOR_VARS = ("GIT_EDITOR", "VISUAL", "EDITOR")
_SIGNER = ("-u", "--local-user")


def _uses_editor(verb: str, args: list[str | None], config: dict[str, str | None]) -> bool:
    if verb == "notes":  # add/append/edit without a message given (-m, -F, -C) open it
        given = any(a.startswith(("-m", "-F", "-C", "--message", "--file", "--reuse-message")) for a in args if a)
        return None in args or (not given and any(a in ("add", "append", "edit", "merge") for a in args))
    if verb in EDITOR_VERBS:
        return True
    if verb == "tag":
        if any(a is None or a in ("-e", "--edit") for a in args):
            return True
        message = any(a.startswith(("-m", "-F", "--message", "--file")) for a in args if a)
        annotated = any(a in ("-a", "-s", "--annotate", "--sign") or a.startswith(_SIGNER) for a in args if a)
        creates = any(a[:1] != "-" for a in args if a)
        return not message and (annotated or (creates and _true(config.get("tag.gpgsign", "false"))))
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
    if any(a is None or not _no_patch_option(a) for a in options):
        return True
    return not any(a in _NO_PATCH_FORMATS or a.split("=", 1)[0] in _NO_PATCH_VALUED for a in options if a)


def _no_patch_option(arg: str) -> bool:
    name = arg.split("=", 1)[0]
    short = arg[:2] in _NEUTRAL_SHORT and (arg[2:].rstrip("%").isdigit() or arg == arg[:2] != "-l")
    return arg in _NO_PATCH or name in _NO_PATCH_VALUED or name in _NEUTRAL_VALUED or short


def _asks_patch(args: list[str | None]) -> bool:
    return any(a is None or a.startswith(_PATCH_ASKED) for a in args)


def _uses_textconv(verb: str, args: list[str | None]) -> bool:
    """Whether a textconv driver (``diff.NAME.textconv``) may run: where file contents are shown
    as a patch (``log`` only with ``-p`` and the like: ``log --oneline`` runs none), by blame,
    ``cat-file --textconv``, ``grep --textconv``, ``status -v``; never with ``--no-textconv``."""
    asks = any(a is None or a.startswith("--te") for a in args)
    if "--no-textconv" in args and not asks:
        return False
    if verb == "show":  # a patch unless a format that replaces it is asked (-s, --stat...)
        return _asks_patch(args) or not any(a in _NO_PATCH_FORMATS for a in args)
    if verb in _PATCH_VERBS:
        return _patch_output(args) or _asks_patch(args)
    if verb in _PATCH_ON_ASK:
        return _asks_patch(args)
    if verb in ("blame", "annotate"):
        return True
    if verb == "cat-file":
        return any(a is None or a.startswith(("--textconv", "--filters")) for a in args)
    if verb in ("grep", "format-patch"):  # only when asked (format-patch's patches are raw)
        return asks
    if verb == "status":
        return any(a is None or a.startswith("--v") or (a[:1] == "-" and a[1:2] != "-" and "v" in a) for a in args)
    return verb in ("difftool", "add", "checkout", "reset", "restore", "commit") and _interactive(args)


def _uses_filters(verb: str, args: list[str | None]) -> bool:
    """Clean/smudge filters run only where git reads or writes work-tree files (and ``cat-file
    --filters``)."""
    if verb == "cat-file":
        return any(a is None or a.startswith("--filters") for a in args)
    if verb == "hash-object":
        return "--no-filters" not in args
    return verb not in _NO_WORKTREE_VERBS


def _merges(verb: str, args: list[str | None]) -> bool:
    """Whether file contents may be merged (a merge driver run)."""
    if verb in _MERGING:
        return True
    if verb == "stash":
        return any(a is None or a in ("apply", "pop", "branch") for a in args)
    return verb in ("checkout", "switch") and any(a is None or a in ("-m", "--merge") for a in args)


def _reads_index(verb: str, args: list[str | None]) -> bool:
    """core.fsmonitor runs when the index is read; these verbs read it only for ``:path`` names
    (and rev-list's ``--indexed-objects``)."""
    if verb not in _NO_INDEX_VERBS:
        return True
    return any(a is None or ":" in a or a.startswith("--ind") for a in args)


def _index_and_drivers(
    verb: str, args: list[str | None], config: dict[str, str | None], facts: Facts
) -> list[tuple[str, str | None]]:
    """fsmonitor (verbs that read the index), drivers named in .gitattributes, difftool/mergetool
    commands, and an unknown setting."""
    found = [(f"git -c {k}", v) for k, v in config.items() if _driver_runs(k, verb, args, config, facts)]
    monitor = config.get("core.fsmonitor", "false")
    if (monitor is None or monitor.lower() not in _BOOLEANS) and _reads_index(verb, args):
        found.append(("git -c core.fsmonitor", monitor))
    if verb in ("difftool", "mergetool") and tool_runs(verb, args) and (verb == "difftool" or facts.conflicted()):
        tools = _TOOL_SECTIONS if verb == "difftool" else ("mergetool.",)
        found.extend((f"git -c {k}", v) for k, v in config.items() if k.startswith(tools))
    # An unknown setting matters to every verb but a plain read of the configuration.
    if "?" in config and (verb != "config" or _uses_editor(verb, args, config) or None in args):
        found.append(("git -c (not known statically)", None))
    return found


def _driver_runs(key: str, verb: str, args: list[str | None], config: dict[str, str | None], facts: Facts) -> bool:
    """Whether a driver named in .gitattributes (``diff.NAME.textconv``, ``filter.NAME.clean``...)
    may run: the verb uses it, and an attributes file names it (or ``merge.default`` does)."""
    if key.count(".") < 2 or not key.endswith(_PER_DRIVER) or key.startswith(_TOOL_SECTIONS):
        return False
    section, name = key.split(".", 1)[0], key[key.index(".") + 1 : key.rindex(".")]
    if section == "diff" and key.endswith(".textconv"):
        uses = _uses_textconv(verb, args)
    elif section == "diff" and key.endswith(".command"):
        uses = _uses_ext_diff(verb, args)
    elif section == "filter":
        uses = _uses_filters(verb, args) or None in args
    elif section == "merge" and key.endswith(".driver"):
        default = config.get("merge.default")
        return _merges(verb, args) and (default is None or default == name or facts.named("merge", name))
    else:
        return False
    return uses and facts.named(section, name)


class Facts:
    """What the verb's settings depend on beyond its arguments: the transports of the remotes it
    contacts (``git_transports`` kinds, ``""`` for one not known; None: it contacts none) and
    whether an attribute names a driver (``named("diff", "tc")``: some attributes file holds
    ``diff=tc``). The defaults know nothing: every transport, every driver."""

    def __init__(
        self, transports: frozenset[str] | None = frozenset({""}), named: Callable[[str, str], bool] | None = None
    ) -> None:
        self.transports = transports
        self.named = named or (lambda _attr, _name: True)
        # Whether an object the verb verifies may be signed (git_objects): gpg runs only for one.
        self.signed: Callable[[], bool] = lambda: True
        # Whether the index may hold a conflict (git_index): mergetool opens a tool only for one.
        self.conflicted: Callable[[], bool] = lambda: True

    def contacts(self, *kinds: str) -> bool:
        return self.transports is not None and ("" in self.transports or any(k in self.transports for k in kinds))


def commands(
    verb: str,
    args: list[str | None],
    config: dict[str, str | None],
    env: Callable[[str], list[str | None] | None],
    tty: bool,
    facts: Facts | None = None,
) -> list[tuple[str, str | None]]:
    """What ``git VERB ARGS`` may start from its settings: ``config`` (``-c`` keys, lower case,
    ``"?"`` for an unknown one) and the environment (``env(NAME)``: values, None when unset here)."""
    facts = facts or Facts(frozenset({""}) if verb in CONTACTING_VERBS else None)
    found: list[tuple[str, str | None]] = []

    def keys(*names: str) -> None:
        for name in names:
            if name in config:
                found.append((f"git -c {name}", config[name]))

    def variables(*names: str) -> None:
        for name in names:
            for value in env(name) or []:
                found.append((f"{name}=...", value))

    if _uses_editor(verb, args, config):
        found += _editor(config, env)
    if verb == "rebase":
        keys("sequence.editor")
        variables("GIT_SEQUENCE_EDITOR")
    found += _transport_commands(verb, config, env, facts)
    if _uses_ext_diff(verb, args):
        keys("diff.external")
        variables("GIT_EXTERNAL_DIFF")
    if tty:
        keys("core.pager", f"pager.{verb}")
        variables("GIT_PAGER", "PAGER")
    if verb in ("add", "checkout", "reset", "restore", "stash", "commit") and _interactive(args):
        keys("interactive.difffilter")
    if _checks_signatures(verb, args, config) and (verb not in _VERIFYING or facts.signed()):
        found.extend((f"git -c {k}", v) for k, v in config.items() if k.startswith("gpg.") and k.endswith(_GPG_KEYS))
    if verb == "send-email":
        found.extend((f"git -c {k}", v) for k, v in config.items() if _sendemail_command(k, v))
    if verb == "upload-pack":
        keys("uploadpack.packobjectshook")
    return found + _index_and_drivers(verb, args, config, facts)


_GPG_KEYS = (".program", ".defaultkeycommand")
# What git starts as one program, its value the program's name, with no shell between (checked
# with GIT_TRACE: ``gpg.program='sh -c "git push"'`` fails with "cannot run sh -c ...");
# gpg.ssh.defaultKeyCommand is split into words (quotes kept) and read as a shell command.
_NO_SHELL = frozenset({"GIT_SSH=...", "GIT_ASKPASS=...", "SSH_ASKPASS=...", "git -c core.askpass"})
_NO_SHELL |= {"git -c core.gitproxy", "GIT_PROXY_COMMAND=..."}


def as_run(label: str, value: str) -> str:
    """The command a setting's value is read as: shell text (an alias or helper's ``!`` dropped),
    or, where git execs the value as a program name, that one word quoted."""
    if label in _NO_SHELL or (label.startswith("git -c gpg.") and label.endswith(".program")):
        if label == "git -c core.gitproxy":
            value = value.split(" for ", 1)[0]  # ``COMMAND for DOMAIN``
        return "'" + value.replace("'", "'\\''") + "' ARG"
    return value[1:] if value.startswith("!") else value


def _editor(
    config: dict[str, str | None], env: Callable[[str], list[str | None] | None]
) -> list[tuple[str, str | None]]:
    """git's order: GIT_EDITOR, then core.editor, then VISUAL, then EDITOR (the first set wins)."""
    if env("GIT_EDITOR") is None and "core.editor" in config:
        return [("git -c core.editor", config["core.editor"])]
    names = ("GIT_EDITOR",) if env("GIT_EDITOR") is not None else _EDITOR_VARS
    return [(f"{name}=...", value) for name in names for value in env(name) or []]


def _transport_commands(
    verb: str, config: dict[str, str | None], env: Callable[[str], list[str | None] | None], facts: Facts
) -> list[tuple[str, str | None]]:
    """ssh commands for ssh URLs, credential helpers and askpass for http ones (and ``git
    credential``), the git:// proxy, the upload/receive-pack a local transport starts."""
    found: list[tuple[str, str | None]] = []
    names: list[str] = []
    variables: list[str] = []
    if facts.contacts("ssh"):
        names.append("core.sshcommand")
        variables += ["GIT_SSH_COMMAND", "GIT_SSH", "SSH_ASKPASS"]
    if facts.contacts("http") or verb == "credential":
        names.append("core.askpass")
        variables += ["GIT_ASKPASS", "SSH_ASKPASS"]
        found.extend((f"git -c {k}", v) for k, v in config.items() if _credential_helper(k))
    if facts.contacts("git"):
        names.append("core.gitproxy")
        variables.append("GIT_PROXY_COMMAND")
    if facts.contacts("local"):
        pack = ".receivepack" if verb == "push" else ".uploadpack"
        found.extend((f"git -c {k}", v) for k, v in config.items() if k.startswith("remote.") and k.endswith(pack))
    if facts.transports:
        names.append("core.alternaterefscommand")
    found.extend((f"git -c {n}", config[n]) for n in names if n in config)
    for name in dict.fromkeys(variables):
        found.extend((f"{name}=...", value) for value in env(name) or [])
    return found


def _interactive(args: list[str | None]) -> bool:
    return any(a is None or a in ("-p", "--patch", "-i", "--interactive") or a.startswith("--patch=") for a in args)


def _checks_signatures(verb: str, args: list[str | None], config: dict[str, str | None]) -> bool:
    """Whether gpg (or gpg.ssh.program...) may run: signing or verifying verbs, and log/show only
    when they show signatures (``--show-signature``, ``log.showSignature``, a ``%G`` format)."""
    if verb in _SIGNING_VERBS:
        return True
    if verb in ("log", "show", "whatchanged", "shortlog", "rev-list", "for-each-ref"):
        formats = [v for k, v in config.items() if k.startswith(("pretty.", "format.pretty"))]
        return (
            (_true(config.get("log.showsignature", "false")) and verb != "for-each-ref")
            or any(a is None or a == "--show-signature" or "%G" in a for a in args)
            or any(v is None or "%G" in v for v in formats)
        )
    if verb == "tag":
        if any(a is None or a in ("-v", "--verify", "-s", "--sign") or a.startswith(_SIGNER) for a in args):
            return True
        return _true(config.get("tag.gpgsign", "false")) and any(a is None or a[:1] != "-" for a in args)
    if verb == "commit-tree":
        signs = any(a is None or a.startswith(("-S", "--gpg-sign")) for a in args)
        return signs or _true(config.get("commit.gpgsign", "false"))
    return False


# Verbs that only verify signatures (never sign): gpg runs only for a signed object.
_VERIFYING = frozenset({"verify-commit", "verify-tag", "log", "show", "whatchanged"})
_SIGNING_VERBS = frozenset(
    {"verify-commit", "verify-tag", "commit", "merge", "rebase", "cherry-pick", "revert", "am", "pull"}
)


def _true(value: str | None) -> bool:
    return value is None or value.lower() in ("true", "yes", "on", "1", "")


def _sendemail_command(key: str, value: str | None) -> bool:
    if not key.startswith("sendemail."):
        return False
    program = key.endswith(".smtpserver") and (value is None or value[:1] in "/~.")
    return key.endswith("cmd") or program


def _credential_helper(key: str) -> bool:
    return key.startswith("credential.") and key.endswith(".helper")


_TOOL_VALUED = frozenset({"-x", "--extcmd", "-t", "--tool"})
_TOOL_FLAGS = _TOOL_VALUED | {"-y", "--no-prompt", "--prompt", "-d", "--dir-diff", "--symlinks", "--no-symlinks"}
_TOOL_FLAGS |= {"-g", "--gui", "--no-gui", "--trust-exit-code", "--no-trust-exit-code"}


def tool_runs(verb: str, args: list[str | None]) -> bool:
    """Whether difftool/mergetool may start a tool: not for ``--tool-help`` or ``-h``, nor
    difftool between a revision and itself (``A A``, ``A..A``, ``A...A``: checked, no tool
    starts); ``--no-index`` compares files, whatever their names."""
    if any(a in ("--tool-help", "-h") for a in args):
        return False
    if verb != "difftool" or "--no-index" in args:
        return True
    words: list[str] = []
    skip = False
    for arg in args:
        if arg is None:
            return True
        if skip or arg == "--":
            if arg == "--":
                break
            skip = False
            continue
        if arg.startswith("-"):
            if arg.split("=", 1)[0] not in _TOOL_FLAGS:
                return True  # an option that may take the next word (-G REGEX): not known here
            skip = arg in _TOOL_VALUED
            continue
        words.append(arg)
    if len(words) == 1:
        for dots in ("...", ".."):
            left, found, right = words[0].partition(dots)
            if found:
                return not left or left != right
        return True
    return len(words) != 2 or words[0] != words[1]


def option_commands(verb: str, args: list[str | None]) -> list[tuple[str, str | None]]:
    """Commands given as the verb's own options (``--upload-pack``, ``grep -O``, ``difftool -x``,
    ``filter-branch --tree-filter``); ``ext::`` URLs are followed with the transports (git_runs)."""
    takes = {
        "fetch": ("--upload-pack",),
        "pull": ("--upload-pack",),
        "clone": ("--upload-pack", "-u"),
        "ls-remote": ("--upload-pack", "-u"),
        "push": ("--receive-pack", "--exec"),
        "archive": ("--exec",),
        "grep": ("-O", "--open-files-in-pager"),
        "difftool": ("-x", "--extcmd") if tool_runs(verb, args) else (),
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
    return found
