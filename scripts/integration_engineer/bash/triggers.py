"""Which Bash policies can have anything to say about a command, from its raw text. Stdlib only.

PreToolUse(Bash) runs six policies; most commands concern one or two of them, and importing the
others (the shell parser, the write analysis, the task lookup) costs milliseconds on every call.
``bash_policies(command)`` names the policies that may act; the others are certain to answer
``PASS`` (no opinion, no context, no side effect), so skipping them never changes a decision.
Each test below is a cheap over-approximation of what its policy can act on; when in doubt it
says "run". ``tests/unit/test_policy_triggers.py`` checks, over the golden cases and generated
commands, that the decision with the skips equals the decision with every policy run.

Why each is sound:

- ``git_operations``: ``could_involve_git`` is the policy's own first look (``analyse`` returns
  no finding when it is False), moved here so the policy need not be imported to ask it. A
  command word naming a file by path is a script from disk (``script_files``) the analysis reads.
- ``exclusions`` and ``test_scope`` act only on a command word that ``tool_calls.identify``
  recognises (``rg``, ``pytest``, ``go``...) or, for test_scope, an ``npm``/``yarn``/``pnpm``/
  ``bun`` word. A word has a value only when it is made of literal pieces: its raw text with
  quotes, backslashes and line continuations taken out (``$"..."`` keeps its text; a parameter,
  command or arithmetic expansion leaves the word without a value, and the commands inside a
  substitution or backticks are written in the text too, escaped at most by backslashes), except
  ANSI-C quoting (``$'\\x72g'``). So unless the text has ``$'``, a tool word can only come from its
  name written in the text once ``'"\\`` and newlines are removed. A name anywhere (even inside
  another word) runs the policy.
- ``isolation``, ``scope``, ``report_files`` and ``tamper`` (Bash) act on the targets ``bash_writes``
  finds and on ``git config`` commands (``git_config_writes``). They are skipped only for a
  "plain" command: a list of simple commands made of words (letters, digits, ``_./:=@%+,-~*?``,
  and single or double quotes holding no ``$``, backtick or backslash) joined by ``|``, ``||``,
  ``&&``, ``;``, ``&`` or newlines, each operator after a word, no reserved word. Such text
  always parses (an unparsable command is a write target: "it cannot be parsed"), has no
  redirection, substitution, compound command or function, and each word's value is its text
  without the quotes. Targets then come only from a command whose name (the last ``/``-part of
  a word) is one of ``bash_writes``' handlers, a shell or ``eval``, ``xargs``, ``find`` or
  ``git``, and git only with a writing subcommand (``bash_writes.GIT_WRITING_VERBS``) or
  ``config``; a plain command with none of those words anywhere writes nothing the policies see.
"""

from __future__ import annotations

# -------------------------------------------------------------- git_operations (its first look)

# Characters that let a command spell or compute "git" without writing it.
_DYNAMIC = "$`\\?*["
_NON_ALNUM = {ord(c): " " for c in "!\"#%&'()+,-./:;<=>@]^_{|}~\t\n\r\x0b\x0c"}
_SQUASH = {ord(c): None for c in " !\"#%&'()+,-./:;<=>@]^_{|}~\t\n\r\x0b\x0c$`\\?*["}
# Programs that run text as commands or turn text into other text that could then be run.
_RUNNERS = frozenset(
    {
        "sh",
        "bash",
        "dash",
        "zsh",
        "ksh",
        "mksh",
        "ash",
        "yash",
        "fish",
        "busybox",
        "eval",
        "exec",
        "source",
        "xargs",
        "parallel",
        "env",
        "sudo",
        "doas",
        "su",
        "watch",
        "alias",
        "trap",
        "at",
        "batch",
        "script",
        "tmux",
        "screen",
        "rev",
        "tr",
        "base64",
        "base32",
        "basenc",
        "xxd",
        "od",
        "openssl",
        "gzip",
        "gunzip",
        "zcat",
        "bzcat",
        "xzcat",
        "uudecode",
        "sed",
        "printf",
        "find",
        "fd",
        "nohup",
        "timeout",
        "nix-shell",
        "expect",
        "make",
        "hub",
        "ssh",
        "declare",
        "typeset",
        "export",
        "local",
        "readonly",
        "read",
        "mapfile",
        "readarray",
        "npm",
        "yarn",
        "pnpm",
        "gmake",
        "gh",
        "glab",
        # programs that run commands from files or their own escapes (bash/escapes, bash/startup)
        "cmake",
        "pytest",
        "py.test",
        "pip",
        "pip3",
        "vim",
        "vi",
        "ex",
        "view",
        "nvim",
        "ed",
        "gdb",
        "sqlite3",
        "tar",
        "zip",
        "npx",
        "sg",
        "bwrap",
        # task runners reading their own files (git_guard/build_tools.TASK_FILES)
        "just",
        "task",
        "tox",
        "nox",
        "rake",
        "meson",
    }
)
_INTERPRETER_PREFIXES = (
    "python",
    "pypy",
    "node",
    "perl",
    "ruby",
    "php",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "lua",
    "bun",
    "deno",
    "tclsh",
    "osascript",
    "rscript",
)


def could_involve_git(text: str) -> bool:
    """False only when no spelling of git can hide in ``text``: no "git" even with quotes,
    backslashes and punctuation removed, no expansion, escape or glob, no program that runs
    or transforms text, and no script run from a file (``./x``, ``. x``; package.json scripts
    and Makefiles come with npm/yarn/pnpm/make, which are runners)."""
    if not _first_look(text):
        return False
    outside = _outside_quoted_heredocs(text) if "<<" in text else None
    return outside is None or _first_look(outside)


def _first_look(text: str) -> bool:
    low = text.lower()
    if "git" in low or "git" in low.translate(_SQUASH):
        return True
    if any(c in text for c in _DYNAMIC):
        return True
    if ">" in text and "./" in text:
        return True
    words = low.translate(_NON_ALNUM).split()
    if any(w in _RUNNERS or w.startswith(_INTERPRETER_PREFIXES) for w in words):
        return True
    return _runs_a_file(text)


def _outside_quoted_heredocs(text: str) -> str | None:
    """The text with the bodies of the quoted here-documents of its top-level simple commands
    blanked (``cat > notes.md <<'EOF' ... EOF``): plain text handed to a program, as a file would
    be (``cat < notes.md``, which the first look lets through). A command that could run the body
    (a shell, an interpreter, xargs) still names itself outside it. Only top-level commands: their
    positions are in ``text`` (a backquoted body is parsed apart). None when the text does not
    parse or has no such body."""
    from integration_engineer.bash.commands import parsed  # the parse the other policies reuse
    from integration_engineer.bash.lexer import ShellSyntaxError
    from integration_engineer.bash.parser import SimpleCommand

    try:
        script = parsed(text)
    except (ShellSyntaxError, RecursionError):
        return None
    spans: list[tuple[int, int]] = []
    for item in script.body.items:
        for pipeline in item.pipelines:
            for cmd in pipeline.commands:
                redirects = cmd.redirects if isinstance(cmd, SimpleCommand) else []
                for r in redirects:
                    body = r.heredoc.body if r.heredoc is not None and r.heredoc.quoted else None
                    if body is not None and body.end > body.start and text[body.start : body.end] == body.raw:
                        spans.append((body.start, body.end))
    if not spans:
        return None
    out, at = [], 0
    for start, end in sorted(spans):
        out.append(text[at:start])
        at = end
    return "".join(out) + text[at:]


# Where a command word may start: after these, and after the reserved words and assignments.
_COMMAND_BREAKS = {ord(c): "\n" for c in ";&|()`{}"}
_RESERVED = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "time", "fi", "done", "coproc"})


def _runs_a_file(text: str) -> bool:
    """A command word that names a file by path (``./deploy``, ``bin/x``) or ``.`` (source)."""
    for segment in text.translate(_COMMAND_BREAKS).split("\n"):
        words = segment.split()
        while words and (words[0] in _RESERVED or "=" in words[0].split("/", 1)[0]):
            words = words[1:]
        if words and ("/" in words[0] or words[0] == "."):
            return True
    return False


def git_like(text: str) -> bool:
    """Text that names git, once quotes, backslashes and punctuation are taken out."""
    low = text.lower()
    return "git" in low or "git" in low.translate(_SQUASH)


# -------------------------------------------------------------- exclusions, test_scope

# tool_calls.NAMES (the words identify recognises) and test_scope.NPM_LIKE.
SEARCH_TEST_LINT = (
    "rg",
    "grep",
    "egrep",
    "fgrep",
    "find",
    "fd",
    "fdfind",
    "pytest",
    "py.test",
    "jest",
    "vitest",
    "ruff",
    "eslint",
    "mypy",
    "go",
)
NPM_LIKE = ("npm", "yarn", "pnpm", "bun")
_QUOTING = {ord(c): None for c in "'\"\\\n"}


def _names_any(text: str, names: tuple[str, ...]) -> bool:
    if "$'" in text:  # ANSI-C quoting: $'\x72g' is the word rg
        return True
    squashed = text.translate(_QUOTING)
    return any(n in squashed for n in names)


# -------------------------------------------------------------- isolation, report_files, tamper

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=@%+,-~*?")
_BLANKS = " \t"
# bash_writes.HANDLERS, its shells and eval, xargs, find, git (git_config_writes: git, shells).
WRITING_WORDS = frozenset(
    {
        "tee",
        "cp",
        "mv",
        "install",
        "ln",
        "rsync",
        "rm",
        "rmdir",
        "unlink",
        "shred",
        "touch",
        "mkdir",
        "truncate",
        "mkfifo",
        "chmod",
        "chown",
        "chgrp",
        "sed",
        "perl",
        "dd",
        "curl",
        "wget",
        "tar",
        # output options (bash_writes): sort/shuf -o, unzip -d, patch -o/-d, compilers' -o, uniq IN OUT,
        # split's prefix, zip's archive, sqlite3's database
        "sort",
        "shuf",
        "unzip",
        "patch",
        "uniq",
        "split",
        "zip",
        "sqlite3",
        "sg",
        "gcc",
        "g++",
        "cc",
        "c++",
        "clang",
        "clang++",
        "bash",
        "sh",
        "dash",
        "zsh",
        "ksh",
        "eval",
        "xargs",
        "find",
        "git",
    }
)
# git writes (bash_writes.GIT_WRITING_VERBS) or changes configuration (git_config_writes) only
# with one of these words as its subcommand.
GIT_WRITING_WORDS = frozenset(
    {
        "checkout",
        "switch",
        "restore",
        "reset",
        "clean",
        "apply",
        "rm",
        "mv",
        "stash",
        "clone",
        "worktree",
        "init",
        "submodule",
        "sparse-checkout",
        "mergetool",
        "read-tree",
        "checkout-index",
        "config",
        # files named by options (bash_writes.GIT_OUTPUT_VERBS)
        "archive",
        "format-patch",
        "bundle",
    }
)
# Reserved words (parser._CLOSERS, _COMPOUND, time, !, in): a plain command has none.
RESERVED = frozenset(
    {
        "then",
        "elif",
        "else",
        "fi",
        "do",
        "done",
        "esac",
        "{",
        "}",
        "if",
        "while",
        "until",
        "for",
        "select",
        "case",
        "function",
        "[[",
        "]]",
        "coproc",
        "time",
        "!",
        "in",
    }
)


def plain_words(text: str) -> list[str] | None:
    """The word values of a plain command (see the module docstring), None when it is not one."""
    words: list[str] = []
    current: list[str] = []
    in_word = False
    after_word = False  # an operator may come (the last token was a word)
    need_word = False  # the last token was | || &&: a word must follow on the same line
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _WORD_CHARS or c in "'\"":
            if c in "'\"":
                end = text.find(c, i + 1)
                if end < 0:
                    return None
                inner = text[i + 1 : end]
                if c == '"' and ("$" in inner or "`" in inner or "\\" in inner):
                    return None
                current.append(inner)
                i = end + 1
            else:
                current.append(c)
                i += 1
            in_word = True
            continue
        if in_word:
            words.append("".join(current))
            current, in_word, after_word, need_word = [], False, True, False
        if c in _BLANKS:
            i += 1
        elif c == "\n":
            if need_word:
                return None
            after_word = False
            i += 1
        elif c in "|&;":
            if not after_word:
                return None
            op = text[i : i + 2] if text[i : i + 2] in ("||", "&&") else c
            i += len(op)
            after_word = False
            need_word = op in ("|", "||", "&&")
        else:
            return None
    if in_word:
        words.append("".join(current))
    elif need_word:
        return None
    if any(w in RESERVED for w in words):
        return None
    return words


def _may_write(text: str) -> bool:
    words = plain_words(text)
    if words is None:
        return True
    names = {w.rsplit("/", 1)[-1] for w in words}
    if "git" in names and not GIT_WRITING_WORDS.intersection(words):
        names.discard("git")
    return not WRITING_WORDS.isdisjoint(names)


# -------------------------------------------------------------- git_operations: one literal git command

# Git built-ins the analysis does not follow beyond the verb (git_analysis.KNOWN_GIT minus
# submodule, bisect, rebase, config, subtree). Let through when not forbidden: read-only verbs
# with no option that runs a program (not grep -O, fetch --upload-pack...). Refused when
# forbidden: those and the default forbidden verbs.
READ_GIT_VERBS = frozenset(
    {
        "status",
        "log",
        "diff",
        "show",
        "rev-parse",
        "branch",
        "describe",
        "blame",
        "ls-files",
        "ls-tree",
        "shortlog",
        "show-ref",
    }
)
FAST_GIT_VERBS = READ_GIT_VERBS | {"add", "stage", "commit", "push", "merge", "pull", "cherry-pick", "revert", "am"}
_NOT_SINGLE = "|&;\n*?["
_HELP = ("--help", "-h")


def single_git(command: str, forbidden: frozenset[str]) -> str | None:
    """For one literal ``git VERB ...`` (module docstring): ``""`` when ``git_operations``
    finds nothing in it, ``VERB`` when its only finding is that forbidden verb; None when the
    full analysis must answer. ``forbidden``: the verbs, in lower case."""
    if any(c in command for c in _NOT_SINGLE) or "git" not in command:
        return None
    words = plain_words(command)
    if words is None or len(words) < 2 or words[0] != "git" or words[1] not in FAST_GIT_VERBS:
        return None
    if words[1] not in forbidden:
        return "" if words[1] in READ_GIT_VERBS else None
    if any(w in _HELP for w in words[2:]):
        return None
    return words[1]


# -------------------------------------------------------------- all together


def _repo_may_run(cwd: str) -> bool:
    from integration_engineer.repository import repo_commands

    return repo_commands.may_run(cwd)


def bash_policies(
    command: str, policies: tuple[str, ...], forbidden: frozenset[str] | None = None, cwd: str = ""
) -> tuple[str, ...]:
    """The policies of ``policies`` that may act on ``command`` (in their order). With
    ``forbidden`` (the forbidden git verbs in lower case), git_operations is also skipped for a
    single literal git command it lets through (``single_git``), unless the repository at
    ``cwd`` has hooks or settings that may make it run something (``repo_commands``)."""
    writes: bool | None = None
    out = []
    for name in policies:
        if name == "git_operations":
            keep = could_involve_git(command) and (
                forbidden is None or single_git(command, forbidden) != "" or _repo_may_run(cwd)
            )
        elif name == "exclusions":
            keep = _names_any(command, SEARCH_TEST_LINT)
        elif name == "test_scope":
            keep = _names_any(command, SEARCH_TEST_LINT + NPM_LIKE)
        elif name in ("isolation", "scope", "report_files", "tamper"):
            if writes is None:
                writes = _may_write(command)
            keep = writes
        else:
            keep = True  # a policy this module does not know: always run
        if keep:
            out.append(name)
    return tuple(out)
