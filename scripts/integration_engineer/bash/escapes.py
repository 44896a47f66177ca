"""Programs with their own shell escapes: the command lines they would hand to a shell.

``commands(argv, stdin, read)`` answers for vim/ex/ed (``!cmd``), sed (``e``, ``s///e``), sqlite3
(``.shell``, ``.system``, pipes), gdb (``shell``, ``!``, ``pipe``), tar (checkpoint actions,
``--to-command``, compress programs, volume scripts), zip (``-TT``), cmake (``-E env``, ``-P``),
rsync (``-e``, ``--rsync-path``) and expect: the command lines (None for one that cannot be known)
or None when ``argv`` is none of these. ``stdin()`` gives the program's input (None unknown),
``read(path)`` a file's text (None unknown). Stdlib only.
"""

from __future__ import annotations

from integration_engineer.bash import live_code, script_files, ssh_config

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

_VIM = frozenset({"vim", "vi", "ex", "view", "nvim", "vimdiff", "gvim", "evim", "rvim", "rview"})
_RANGE = set("%0123456789,.$'<>;+- ")
_VIM_READ_WRITE = ("r", "re", "rea", "read", "w", "wr", "wri", "writ", "write", "sil", "silent", "silent!", "exe")


_VIM_GLOBAL = frozenset({"g", "gl", "glo", "glob", "globa", "global", "v", "vg", "vgl", "vglo", "vglob", "vglobal"})


def _ex_command(line: str, depth: int = 0) -> list[str | None]:
    """An ex/vim command line: the shell commands it runs. Each command after a ``|`` counts
    (``%s/a/b/|!cmd``), and so does a global's (``g/re/!cmd``: checked, vim runs it); a bar
    that belongs to the command before it (``:normal``, ``:!``) only makes this read more."""
    if depth > 4:
        return [None]
    text = line.strip().lstrip(":").lstrip()
    found = _ex_single(text)
    body = _global_body(text, _VIM_GLOBAL)
    if body is not None:
        found += _ex_command(body, depth + 1)
    at = text.find("|")
    if at >= 0:
        found += _ex_command(text[at + 1 :], depth + 1)
    return found


def _global_body(text: str, names: frozenset[str]) -> str | None:
    """The command list of a global command (``g/re/CMD``, ``v!/re/CMD`` after an address), or
    None when the line is none."""
    start = _ed_address_end(text)
    if start < 0:
        return None
    end = start
    while end < len(text) and text[end].isalpha():
        end += 1
    if text[start:end] not in names:
        return None
    end += text[end : end + 1] == "!"
    if end >= len(text) or text[end].isalnum() or text[end] in ' "|\\':
        return None
    delimiter, k = text[end], end + 1
    while k < len(text) and text[k] != delimiter:
        k += 2 if text[k] == "\\" else 1
    return text[k + 1 :] if k < len(text) else ""


def _ex_single(text: str) -> list[str | None]:
    """One ex command (no ``|`` followed): the shell command it runs, if any."""
    end = _ed_address_end(text)
    if end >= 0:
        text = text[end:]
    while text and text[0] in _RANGE:
        text = text[1:]
    if text.startswith("!"):
        return [text[1:].strip()]
    head = text.split("!", 1)[0].strip()
    if "!" in text and head in _VIM_READ_WRITE:
        return [text.split("!", 1)[1].strip()]
    low = text.lower()
    if low.startswith(("se", "let &sh", "let &shell")) and "sh" in low:
        # `set shell=PROG`: later escapes run PROG (its own code counts as a command of its own).
        value = text.split("=", 1)[1].strip() if "=" in text else ""
        return [value if value and not any(c in value for c in "'\"\\ ") else None]
    literal = _called_system(text)
    if literal is not None:
        return [literal]
    if any(m in low for m in ("system(", "systemlist(", "term", "py", "lua", "perl", "ruby", "jobstart", "exe ")):
        return [None]
    return []


def _called_system(text: str) -> str | None:
    """``call system("CMD")`` with CMD one plain quoted literal (no escapes, no concatenation)."""
    for head in ("call system(", "call systemlist("):
        if text.startswith(head) and text.endswith(")"):
            inner = text[len(head) : -1].strip()
            if len(inner) >= 2 and inner[0] in "'\"" and inner[-1] == inner[0]:
                body = inner[1:-1]
                if not any(c in body for c in "'\"\\"):
                    return body
    return None


def _vim(
    name: str, args: list[str | None], stdin: Callable[[], str | None], read: Callable[[str], str | None]
) -> list[str | None]:
    found: list[str | None] = []
    # vim reads letters given together one by one (``-esc CMD`` is -e -s -c CMD: checked).
    args = [w for a in args for w in _vim_flags(a)]
    ex_mode = name == "ex" or any(a in ("-e", "-E") for a in args)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None:
            found.append(None)
        elif arg == "-s" and ex_mode:
            pass  # silent ex mode (ex -s), not a script of keys
        elif arg in ("-c", "--cmd", "-S", "-s", "-w", "-W", "-u", "-i", "-T", "-U") and i + 1 < len(args):
            value = args[i + 1]
            if arg in ("-c", "--cmd"):
                found += _ex_command(value) if value is not None else [None]
            elif arg in ("-S", "-s", "-u"):
                text = read(value) if value is not None else None
                found += [c for line in (text.splitlines() if text is not None else []) for c in _ex_command(line)]
                if text is None and value not in ("NONE", "NORC"):
                    found.append(None)
            i += 2
            continue
        elif arg.startswith("+") and len(arg) > 1:
            found += _ex_command(arg[1:])
        i += 1
    return found + (_text_mode(stdin(), _ex_enters_text, _ex_command) if ex_mode else [])


def _vim_flags(arg: str | None) -> list[str | None]:
    if arg is not None and len(arg) > 2 and arg[0] == "-" and arg[1:].isalpha() and arg[1:].isascii():
        return [f"-{c}" for c in arg[1:]]
    return [arg]


def _lines(text: str | None, each: Callable[[str], list[str | None]]) -> list[str | None]:
    if text is None:
        return [None]
    return [c for line in text.splitlines() for c in each(line)]


def _text_mode(
    text: str | None, enters: Callable[[str], bool], each: Callable[[str], list[str | None]]
) -> list[str | None]:
    """The commands of ed/ex input lines; the lines typed after an append/insert/change command
    (``enters``) up to a lone ``.`` are text."""
    if text is None:
        return [None]
    found: list[str | None] = []
    entering = False
    for line in text.splitlines():
        if entering:
            entering = line != "."
        elif enters(line):
            entering = True
        else:
            found += each(line)
    return found


def _ex_enters_text(line: str) -> bool:
    """An ex-mode line that is ``:a[ppend]``, ``:i[nsert]`` or ``:c[hange]`` (``!`` allowed) after
    an address: vim reads the lines after it as text."""
    text = line.lstrip(" \t:")
    i = _ed_address_end(text)
    if i < 0:
        return False
    command = text[i:].rstrip().rstrip("!")
    return bool(command) and any(full.startswith(command) for full in ("append", "insert", "change"))


def _ed_enters_text(line: str) -> bool:
    """The line is an address (numbers, ``$``, marks, ``/re/``, ``?re?``) and then exactly
    ``a``, ``i`` or ``c`` with only print suffixes (``ap``); ed refuses anything else after them
    (``a `` included) and stays in command mode."""
    text = line.lstrip(" \t")
    i = _ed_address_end(text)
    command = text[i:] if i >= 0 else ""
    return command[:1] in ("a", "i", "c") and set(command[1:]) <= set("lnp")


def _ed_address_end(text: str) -> int:
    """Where the address of an ed/ex line ends (-1: a regex that does not close)."""
    i = 0
    while i < len(text):
        char = text[i]
        if char in "/?":
            end = i + 1
            while end < len(text) and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            if end >= len(text):
                return -1
            i = end + 1
        elif char == "'":
            i += 2  # a mark: 'x
        elif char in _RANGE:
            i += 1
        else:
            break
    return i


def _zip_tests(args: list[str | None]) -> bool:
    """zip runs its ``-TT`` command only to test the archive (``-T``/``--test``, alone or in a
    cluster such as ``-qT``); an unknown word may be one."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg is None or arg == "--test":
            return True
        elif arg in ("-TT", "--unzip-command"):
            skip = True
        elif arg.startswith("-") and not arg.startswith(("--", "-TT")) and "T" in arg[1:]:
            return True
    return False


def _ed_command(line: str, depth: int = 0) -> list[str | None]:
    """An ed command line: the shell command it runs (``!cmd``, ``r !cmd``..., and in a
    global's command list: ``g/re/!cmd`` runs, checked with GNU ed 1.19)."""
    text = line.strip()
    body = _global_body(text, _ED_GLOBAL)
    if body is not None:
        return _ed_command(body, depth + 1) if depth < 4 else [None]
    end = _ed_address_end(text)
    if end >= 0:
        text = text[end:]
    while text and text[0] in _RANGE:
        text = text[1:]
    if text.startswith("!"):
        return [text[1:]]
    if text[:1] in ("r", "w", "e", "W", "E") and text[1:].lstrip().startswith("!"):
        return [text[1:].lstrip()[1:]]
    return []


_ED_GLOBAL = frozenset({"g", "v"})


def _sed_scripts(args: list[str | None], read: Callable[[str], str | None]) -> list[str | None]:
    scripts: list[str | None] = []
    given = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-e", "--expression", "-f", "--file") and i + 1 < len(args):
            value = args[i + 1]
            scripts.append(value if arg in ("-e", "--expression") else (read(value) if value else None))
            given = True
            i += 2
            continue
        if arg in ("-l", "--line-length"):  # its value is no script
            i += 2
            continue
        if arg is not None and arg.startswith(("--expression=", "--file=")):
            key, _, value = arg.partition("=")
            scripts.append(value if key == "--expression" else read(value))
            given = True
        elif (arg is None or not arg.startswith("-")) and not given:
            scripts.append(arg)
            given = True
        i += 1
    return scripts


def _sed_program(script: str, lines: list[str] | None = None) -> list[str | None]:
    """The command lines a GNU sed script runs: ``e COMMAND`` (to the end of its line; a bare
    ``e`` runs the pattern space) and ``s///e`` (``_sed_executed``; ``lines``: its input's
    lines, when known). ``a``/``i``/``c`` text, ``r``/``w`` file names
    and the parts of ``s``/``y`` are read as sed reads them, so ``;`` or ``e`` inside them is
    no command; where the reading ends too early the rest is still read as commands."""
    found: list[str | None] = []
    i = 0
    while i < len(script):
        start = i
        i = _sed_address(script, i)
        lines = lines if script[:start].strip(" \t\n;") == "" else None  # an earlier command may change them
        char = script[i : i + 1]
        if char in ("a", "i", "c"):
            i = _sed_text_end(script, i + 1)
        elif char == "e":
            end = _line_end(script, i)
            found.append(script[i + 1 : end].strip() or None)  # bare e: runs the pattern space
            i = end
        elif char in ("r", "R", "w", "W", "#"):
            i = _line_end(script, i)
        elif char in (":", "b", "t", "T"):
            while i < len(script) and script[i] not in ";\n":  # a label ends at ; (`:a;N;ba`)
                i += 1
        elif char in ("s", "y"):
            regex_at = i + 2
            i, parts = _sed_parts(script, i + 1, regex=char == "s")
            if char == "s" and parts is not None:
                flags_end = i
                while flags_end < len(script) and script[flags_end] not in ";\n}":
                    flags_end += 1
                flags = script[i:flags_end]
                if "e" in flags.split("w", 1)[0]:
                    regex = script[regex_at : regex_at + len(script[regex_at:i]) - len(parts) - 2]
                    alone = script[flags_end:].strip(" \t\n;}") == ""  # no later command (D) refills it
                    found += _sed_executed(regex, parts, flags, script[regex_at - 1], lines if alone else None)
                i = _line_end(script, i) if "w" in flags else flags_end
            elif parts is None:
                return [*found, None]  # an s or y sed would not read: fail closed
        else:
            i += 1
    return found


_WHOLE_LINE = frozenset({".*", "^.*", ".*$", "^.*$"})


def _sed_executed(
    regex: str, replacement: str, flags: str, delimiter: str, lines: list[str] | None
) -> list[str | None]:
    """What ``s/REGEX/REPLACEMENT/e`` runs: the pattern space after the substitution. Known when
    REGEX matches the whole of it (``.*``) or is plain text found in known input lines, and the
    replacement is plain text (no ``&``, no backslash but before the delimiter); else None."""
    text = replacement.replace("\\" + delimiter, delimiter)
    unknown: list[str | None] = [replacement, None] if replacement.strip() else [None]  # it may hold git
    if "&" in text or "\\" in text or not set(flags) <= set("egpiI"):
        return unknown
    if regex in _WHOLE_LINE:
        return [text]
    if lines is None or not regex or not all(c.isalnum() or c in " _-=:," for c in regex) or "i" in flags.lower():
        return unknown  # a pattern space not known; I ignores case
    count = -1 if "g" in flags else 1
    return [line.replace(regex, text, count) for line in lines if regex in line]


def _sed_input(
    args: list[str | None], stdin: Callable[[], str | None], read: Callable[[str], str | None]
) -> list[str] | None:
    """The lines sed reads (its files, else stdin) when they are known; None otherwise."""
    files: list[str] = []
    script_given = any(a in ("-e", "--expression", "-f", "--file") for a in args)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None:
            return None
        if arg in ("-e", "--expression", "-f", "--file", "-l", "--line-length"):
            i += 2
            continue
        if arg.startswith("-") and arg != "-":
            if not (set(arg[1:]) <= set("nErsu") or arg in ("--quiet", "--silent", "--posix", "--debug")):
                return None  # -z splits on NUL; an option not known here may take a value
        elif script_given:
            files.append(arg)
        else:
            script_given = True
        i += 1
    texts = [(stdin() if f == "-" else "" if f == "/dev/null" else read(f)) for f in files or ["-"]]
    if any(t is None for t in texts):
        return None
    return [line for t in texts for line in (t or "").splitlines()]


def _sed_address(script: str, i: int) -> int:
    """Past blanks, separators and an address (numbers, ``$``, ranges, ``/re/``, ``\\cREc``)."""
    while i < len(script):
        char = script[i]
        if char in "0123456789$,!~+; \t\n{}" or (char in "IM" and i > 0 and script[i - 1] in "/IM"):
            i += 1
        elif char == "/" or (char == "\\" and i + 1 < len(script)):
            start = i + 1 if char == "/" else i + 2
            i = _sed_delimited(script, start, script[start - 1], regex=True)
        else:
            break
    return i


def _sed_delimited(script: str, i: int, delimiter: str, regex: bool) -> int:
    """Past the closing ``delimiter`` (escapes skipped; in a regex, a bracket expression holds
    the delimiter literally, as GNU sed reads ``s/[/]/x/``); the end when none closes."""
    while i < len(script) and script[i] != delimiter:
        if script[i] == "\\":
            i += 2
        elif regex and script[i] == "[":
            close = script.find("]", i + (3 if script[i + 1 : i + 2] == "^" else 2))
            i = close + 1 if close > 0 else len(script)
        else:
            i += 1
    return i + 1


def _sed_parts(script: str, i: int, regex: bool) -> tuple[int, str | None]:
    """An ``s``/``y`` command from its delimiter: the index past it and its second part (None
    when a part does not close)."""
    delimiter = script[i : i + 1]
    if not delimiter or delimiter in "\n\\":
        return i, None
    middle = _sed_delimited(script, i + 1, delimiter, regex)
    end = _sed_delimited(script, middle, delimiter, False)
    if end > len(script):
        return len(script), None
    return end, script[middle : end - 1]


def _line_end(script: str, i: int) -> int:
    end = script.find("\n", i)
    return len(script) if end < 0 else end


def _sed_text_end(script: str, i: int) -> int:
    """Past the text of ``a``/``i``/``c``: ``a\\`` then lines, or ``a text``; a line ending in an
    odd number of backslashes goes on to the next."""
    while i < len(script) and script[i] in " \t":
        i += 1
    if script[i : i + 2] == "\\\n":
        i += 2
    while True:
        end = _line_end(script, i)
        backslashes = len(script[i:end]) - len(script[i:end].rstrip("\\"))
        if end >= len(script) or backslashes % 2 == 0:
            return end
        i = end + 1


def _sed(
    args: list[str | None], stdin: Callable[[], str | None], read: Callable[[str], str | None]
) -> list[str | None]:
    scripts = _sed_scripts(args, read)
    if any(script is None for script in scripts):
        return [None]
    lines = _sed_input(args, stdin, read)
    if lines == []:
        return []  # no input line: sed never runs its script
    # GNU sed joins its -e and -f pieces with newlines into one program (an `a\\` may end one).
    return _sed_program("\n".join(script or "" for script in scripts), lines)


def _sqlite_command(line: str, read: Callable[[str], str | None] | None = None, depth: int = 0) -> list[str | None]:
    """One line of sqlite3 input: the shell commands it runs; ``.read FILE`` runs FILE's lines."""
    text = line.strip()
    if text.startswith(".read ") and "|" not in text:
        path = text[6:].strip().strip("'\"")
        body = read(path) if read is not None and path and depth < 4 else None
        return _lines(body, lambda inner: _sqlite_command(inner, read, depth + 1))
    for dot in (".shell", ".system"):
        if text.startswith(dot + " "):
            return [text[len(dot) :].strip()]
    for dot in (".once", ".output", ".import", ".read", ".excel"):
        if text.startswith(dot) and "|" in text:
            return [text.split("|", 1)[1].strip().strip("'\"")]
    return _sql_edits(text) if not text.startswith(".") else []


def _sql_edits(sql: str) -> list[str | None]:
    """The editors SQL's ``edit(TEXT, EDITOR)`` calls run: the shell gets ``EDITOR "TMPFILE"``
    (sqlite3's shell.c); an editor not given as a literal, or ``$VISUAL`` (one argument), is
    not known. String literals, quoted names and comments are skipped."""
    found: list[str | None] = []
    i = 0
    while i < len(sql):
        c = sql[i]
        if c in "'\"`[":
            close = "]" if c == "[" else c
            end = sql.find(close, i + 1)
            while end > 0 and close != "]" and sql[end + 1 : end + 2] == close:
                end = sql.find(close, end + 2)  # '' inside a literal
            name, i = sql[i + 1 : end], len(sql) if end < 0 else end + 1
            rest = sql[i:].lstrip()
            if c != "'" and end > 0 and name.lower() == "edit" and rest.startswith("("):
                found.append(_edit_editor(rest[1:]))  # a quoted name: "edit"(...), [edit](...)
        elif sql.startswith("--", i):
            i = len(sql) if sql.find("\n", i) < 0 else sql.find("\n", i)
        elif sql.startswith("/*", i):
            i = len(sql) if sql.find("*/", i) < 0 else sql.find("*/", i) + 2
        elif sql[i : i + 4].lower() == "edit" and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] in "_$")):
            rest = sql[i + 4 :].lstrip()
            if rest.startswith("("):
                found.append(_edit_editor(rest[1:]))
            elif rest.startswith(("/*", "--")):
                found.append(None)  # edit /* ... */ (: a call, maybe
            i += 4
        else:
            i += 1
    return found


def _edit_editor(args: str) -> str | None:
    """``TEXT, 'EDITOR')``: the command line edit() hands to the shell, when EDITOR is a literal."""
    parts, depth, start, quote = [], 0, 0, ""
    for k, c in enumerate(args):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")" and depth == 0:
            parts.append(args[start:k].strip())
            break
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(args[start:k].strip())
            start = k + 1
    if len(parts) != 2 or len(parts[1]) < 2 or parts[1][0] != "'" or parts[1][-1] != "'":
        return None
    return parts[1][1:-1].replace("''", "'") + ' "/tmp/etilqs_edit"'


def _sqlite(
    args: list[str | None], stdin: Callable[[], str | None], read: Callable[[str], str | None]
) -> list[str | None]:
    found: list[str | None] = []

    def each(line: str) -> list[str | None]:
        return _sqlite_command(line, read)

    given: list[str | None] = []  # the SQL and dot-commands after the database: run after all options
    operands = 0
    # -safe refuses .shell/.system from there on; the -init file and earlier -cmd still run.
    safe = any(a in ("-safe", "--safe") for a in args)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-safe", "--safe"):
            break
        if arg in ("-cmd", "-init") and i + 1 < len(args):
            value = args[i + 1]
            if arg == "-cmd":
                found += each(value) if value is not None else [None]
            else:
                found += _lines(read(value) if value else None, each)
            i += 2
            continue
        if arg is None:
            found.append(None)
        elif not arg.startswith("-"):
            operands += 1
            if operands > 1:
                given += _lines(arg, each)
        i += 1
    found += [t for j, a in enumerate(args[:-1]) if a == "-init" and j >= i for t in _sqlite_init(args[j + 1], read)]
    if safe:
        return found
    found += given
    if operands < 2:
        found += _lines(stdin(), each)
    return found


def _sqlite_init(path: str | None, read: Callable[[str], str | None]) -> list[str | None]:
    return _lines(read(path) if path else None, lambda line: _sqlite_command(line, read))


def _gdb_command(line: str) -> list[str | None]:
    text = line.strip()
    if text.startswith(("shell ", "!")):
        return [text[6:] if text.startswith("shell ") else text[1:]]
    if text.startswith(("pipe ", "| ")) and "|" in text[1:]:
        return [text.rsplit("|", 1)[1].strip()]
    if text.startswith(("python", "py ", "guile", "source")):
        return [None]
    return []


def startup_line(lang: str, line: str) -> list[str | None]:
    """The shell commands one line of a gdb or vim start-up file runs."""
    return _gdb_command(line) if lang == "gdb" else _ex_command(line)


_GDB_VALUES = frozenset({"-p", "-pid", "--pid", "-cd", "-d", "--directory", "-s", "--symbols", "-e", "--exec"})
_GDB_VALUES_MORE = frozenset({"-se", "-c", "--core", "-tty", "-b", "-l", "-D", "--data-directory", "-i"})
_GDB_RUN = frozenset({"r", "ru", "run", "start", "starti"})


def _gdb(
    args: list[str | None], stdin: Callable[[], str | None], read: Callable[[str], str | None]
) -> list[str | None]:
    """gdb's shell escapes, and the program it debugs when a ``run`` (``start``) is among its
    commands: gdb starts it through a shell, with ``--args``' words or ``run``'s own. Without
    ``-batch`` it reads commands from stdin too."""
    found: list[str | None] = []
    lines: list[str | None] = []  # its command lines (None: a file not known)
    if not any(a in ("-batch", "--batch", "-version", "--version", "-help", "--help") for a in args):
        text = stdin()
        lines += text.splitlines() if text is not None else [None]
    program: list[str | None] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-ex", "-iex", "--eval-command", "-x", "-ix", "--command") and i + 1 < len(args):
            value = args[i + 1]
            if arg in ("-x", "-ix", "--command"):
                text = read(value) if value else None
                lines += text.splitlines() if text is not None else [None]
            else:
                lines.append(value)
            i += 2
            continue
        if arg is not None and arg.startswith(("--eval-command=", "--command=")):
            key, _, value = arg.partition("=")
            text = value if key == "--eval-command" else read(value)
            lines += [value] if key == "--eval-command" else text.splitlines() if text is not None else [None]
        elif arg == "--args":
            program = args[i + 1 :]
            break
        elif arg in _GDB_VALUES or arg in _GDB_VALUES_MORE:
            i += 1
        elif (arg is None or not arg.startswith("-")) and not program:
            program = [arg]
        i += 1
    for line in lines:
        found += _gdb_command(line) if line is not None else [None]
        words = (line or "").split(None, 1)
        if line is None or (words and words[0] in _GDB_RUN):
            found.append(_gdb_inferior(program, words[1] if len(words) > 1 else None))
    return found


def _gdb_inferior(program: list[str | None], run_args: str | None) -> str | None:
    """The command line the shell gets for the debugged program (None: not known)."""
    if not program or any(a is None for a in program):
        return None if program else ""
    from shlex import quote

    words = [quote(a or "") for a in program]
    return " ".join(words[:1] + ([run_args] if run_args is not None else words[1:]))


def _option_values(args: list[str | None], names: tuple[str, ...]) -> list[str | None]:
    """Values of options ``--name=V``, ``--name V`` and ``-X V`` (for two-letter names)."""
    found: list[str | None] = []
    for i, arg in enumerate(args):
        if arg is None:
            continue
        for name in names:
            if arg == name and i + 1 < len(args):
                found.append(args[i + 1])
            elif name.startswith("--") and arg.startswith(name + "="):
                found.append(arg[len(name) + 1 :])
    return found


def _extracts(args: list[str | None]) -> bool:
    """tar in extract mode (``-x``, ``xf`` old style, ``--extract``)."""
    for i, arg in enumerate(args):
        if arg is None:
            continue
        if arg in ("--extract", "--get"):
            return True
        short = arg.startswith("-") and not arg.startswith("--")
        if (short or (i == 0 and not arg.startswith("-"))) and "x" in arg.lstrip("-"):
            return True
    return False


def _multi_volume(args: list[str | None]) -> bool:
    for i, arg in enumerate(args):
        short = arg is not None and arg[:1] == "-" and arg[:2] != "--"
        old_style = i == 0 and arg is not None and arg[:1] != "-"
        if arg is None or arg.startswith("--mu") or ((short or old_style) and "M" in arg):
            return True
    return False


def _tar(args: list[str | None]) -> list[str | None]:
    found = _option_values(args, ("--use-compress-program", "-I", "--rsh-command"))
    if _multi_volume(args):  # the volume script runs only at the end of a volume of -M
        found += _option_values(args, ("--info-script", "--new-volume-script", "-F"))
    if _extracts(args):
        found += _option_values(args, ("--to-command",))  # only extraction pipes members to it
    # Checkpoint actions run only at checkpoints, which only --checkpoint (exact: an
    # abbreviation is ambiguous with --checkpoint-action) or TAR_OPTIONS turns on (checked).
    checkpoints = any(a is None or a == "--checkpoint" or a.startswith("--checkpoint=") for a in args)
    for arg in args:
        if arg is not None and arg.startswith("--checkpoint-action=") and checkpoints:
            action = arg.split("=", 1)[1]
            if action.startswith("exec="):
                found.append(action[5:])
    return found


def _cmake(args: list[str | None], read: Callable[[str], str | None]) -> list[str | None]:
    if args[:2] in (["-E", "env"], ["-E", "time"], ["-E", "chdir"]):
        rest = args[2:]
        if args[1] == "env":  # NAME=VALUE, --unset=NAME, --modify ... before the command
            while rest and (rest[0] is None or rest[0].startswith("--") or "=" in rest[0]):
                if rest[0] is None:
                    return [None]
                ends, rest = rest[0] == "--", rest[1:]
                if ends:
                    break
        if args[1] == "chdir":  # chdir DIR COMMAND...: the command runs in DIR
            if not rest or rest[0] is None:
                return [None]
            rest = rest[1:]
        return [None if any(a is None for a in rest) else _argv_text(rest)] if rest else []
    if "-P" in args:
        at = args.index("-P")
        path = args[at + 1] if at + 1 < len(args) else None
        text = read(path) if path else None
        return [None if text is None else _cmake_text(live_code.cmake(text))]
    if any(a in ("--build", "--install", "--open", "-N", "--help", "--version", "-E") for a in args):
        return []
    return [_cmake_configure(_cmake_source(args), read)]


def _argv_text(words: list[str | None]) -> str:
    """Words as one shell command line, each single-quoted where the shell would change it."""
    plain = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,")
    out = []
    for word in words:
        text = word or ""
        out.append(text if text and set(text) <= plain else "'" + text.replace("'", "'\\''") + "'")
    return " ".join(out)


def _cmake_source(args: list[str | None]) -> str | None:
    """The source directory ``cmake`` configures: ``-S DIR``, else its path operand (``.`` by
    default; a build directory's cache names the source, not followed: refused when git is near)."""
    source: str | None = "."
    for i, arg in enumerate(args):
        if arg is None:
            return None
        if arg == "-S":
            return args[i + 1] if i + 1 < len(args) else None
        if arg.startswith("-S") and len(arg) > 2:
            return arg[2:]
        if not arg.startswith("-") and (i == 0 or args[i - 1] not in _CMAKE_VALUES):
            source = arg
    return source


_CMAKE_VALUES = frozenset({"-B", "-G", "-T", "-A", "-C", "-D", "-U", "--preset", "--toolchain", "--install-prefix"})


def _cmake_configure(source: str | None, read: Callable[[str], str | None], depth: int = 0) -> str | None:
    """What configuring runs: ``execute_process`` in CMakeLists.txt, the files it ``include``s and
    the directories it adds (build-time commands run later, by the build tool)."""
    if source is None:
        return None
    text = read(f"{source.rstrip('/') or '/'}/CMakeLists.txt")
    if text is None:
        return None
    found: list[str | None] = [_cmake_calls(text, "execute_process")]
    for name in ("include", "add_subdirectory"):
        for arg in _cmake_args(text, name):
            if depth >= 3:
                return None
            if "$" in arg:
                found.append(None if name == "add_subdirectory" else "")
            elif name == "include":
                found.append(_cmake_calls(read(f"{source}/{arg}") or "", "execute_process") if "." in arg else "")
            else:
                found.append(_cmake_configure(f"{source}/{arg}", read, depth + 1))
    if any(f is None for f in found):
        return None
    return "\n".join(f for f in found if f)


def _cmake_args(text: str, call: str) -> list[str]:
    """The first argument of each ``call(...)`` in CMake text."""
    out: list[str] = []
    low = text.lower()
    for chunk in low.split(call + "(")[1:]:
        words = text[len(text) - len(chunk) :].split(")", 1)[0].split()
        if words:
            out.append(words[0].strip('"'))
    return out


def _cmake_calls(text: str, call: str) -> str:
    """The COMMANDs of each ``call(...)`` (``${GIT_EXECUTABLE}`` is git)."""
    low = text.lower()
    parts = []
    for chunk in low.split(call + "(")[1:]:
        body = text[len(text) - len(chunk) :].split(")", 1)[0]
        parts.append(_cmake_text(body.replace("${GIT_EXECUTABLE}", "git")) or "")
    return "\n".join(p for p in parts if p)


def _cmake_text(text: str | None) -> str | None:
    """``execute_process(COMMAND a b ...)`` in a CMake script: the commands (None when unreadable)."""
    if text is None:
        return None
    commands: list[str] = []
    text = "\n".join(_cmake_uncommented(line) for line in text.splitlines())
    for chunk in text.split("COMMAND")[1:]:
        words = chunk.split(")")[0].split()
        stop = {"WORKING_DIRECTORY", "OUTPUT_VARIABLE", "RESULT_VARIABLE", "TIMEOUT", "ERROR_VARIABLE"}
        words = words[: next((i for i, w in enumerate(words) if w in stop), len(words))]
        commands.append(" ".join(w.strip('"') for w in words))
    return "\n".join(commands)


def _cmake_uncommented(line: str) -> str:
    """A CMake line without its ``#`` comment: a ``#`` outside a quoted argument that begins a
    word (a bracket comment's later lines stay, read as code)."""
    quoted = False
    for i, char in enumerate(line):
        if char == "\\":
            continue
        if char == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and not quoted and (i == 0 or line[i - 1] in " \t()"):
            return line[:i]
    return line


def _expect(args: list[str | None], read: Callable[[str], str | None]) -> list[str | None]:
    """expect's Tcl: ``spawn``, ``exec``, ``system`` and ``open "|..."`` run programs (not known
    statically); ``-c`` gives code, the first operand a script file."""
    given = _option_values(args, ("-c",))
    files, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "-c":
            skip = True
        elif arg is None or not arg.startswith("-"):
            files.append(arg)
    texts = [*given, read(files[0]) if files[0] else None] if files else (given or [None])  # none: stdin
    runs = ("spawn", "exec", "system", "open", "|")
    return [None if t is None or any(r in t for r in runs) else "" for t in texts]


def commands(
    argv: list[str | None], stdin: Callable[[], str | None], read: Callable[[str], str | None]
) -> list[str | None] | None:
    """The command lines ``argv`` would run through its own escapes; None when it has none."""
    name = (argv[0] or "").rstrip("/").rsplit("/", 1)[-1]
    args = argv[1:]
    if _restricted(name, args):
        return []
    if name in _VIM:
        return _vim(name, args, stdin, read)
    if name in ("ed", "red"):
        return _text_mode(stdin(), _ed_enters_text, _ed_command)
    if name in ("sed", "gsed"):
        return _sed(args, stdin, read)
    if name in ("sqlite3", "sqlite"):
        return _sqlite(args, stdin, read)
    if name == "gdb":
        return _gdb(args, stdin, read)
    if name in ("tar", "gtar"):
        return _tar(args)
    if name == "zip":
        return _option_values(args, ("-TT", "--unzip-command")) if _zip_tests(args) else []
    if name == "cmake":
        return _cmake(args, read)
    if name in ("ssh", "scp", "sftp"):
        return ssh_config.commands(name, args, read)
    if name == "rsync":
        return _option_values(args, ("-e", "--rsh", "--rsync-path"))
    if name == "expect":
        return _expect(args, read)
    return None


def _options(args: list[str | None]) -> list[str] | None:
    """The arguments before ``--`` (options are taken anywhere before it); None when one is unknown."""
    known: list[str] = []
    for arg in args:
        if arg is None:
            return None
        if arg == "--":
            break
        known.append(arg)
    return known


def _restricted(name: str, args: list[str | None]) -> bool:
    """The program runs in a mode that disables its shell escapes (checked with each program:
    ``rvim``/``rview``/``vim -Z`` refuse ``:!`` and ``system()``, ``red``/``ed -r`` refuse ``!``,
    ``sed --sandbox`` refuses ``e``/``w``/``r``; ``sqlite3 -safe`` is in ``_sqlite``)."""
    if name in ("rvim", "rview", "rgvim", "red"):
        return True
    options = _options(args)
    if options is None:
        return False  # an unknown word may be ``--``: fail closed
    if name in _VIM and name != "nvim":
        return "-Z" in options
    if name == "ed":
        flags = [o for i, o in enumerate(options) if i == 0 or options[i - 1] != "-p"]
        return "--restricted" in flags or any(
            o.startswith("-") and not o.startswith("--") and set(o[1:]) <= set("EGlrsv") and "r" in o for o in flags
        )
    if name in ("sed", "gsed"):
        return _sed_sandboxed(options)
    return False


def _sed_sandboxed(options: list[str]) -> bool:
    """GNU sed compiles each ``-e``/``-f`` script when it meets the option, the bare script after
    all options: ``--sandbox`` (or a prefix of it) counts only before every ``-e``/``-f``."""
    for option in options:
        if len(option) >= 4 and "--sandbox".startswith(option):
            return True
        if option.startswith(("--e", "--f")) or (
            option.startswith("-") and not option.startswith("--") and ("e" in option or "f" in option)
        ):
            return False
    return False


def from_environment(argv: list[str | None], lookup: Callable[[str], list[str | None] | None]) -> list[str | None]:
    """Command lines a program takes from variables the command set: less's input preprocessor
    (``LESSOPEN``, and ``LESSCLOSE`` after it), run through a shell with ``%s`` the file's name,
    unless ``-L``/``--no-lessopen`` or ``LESSSECURE=1`` (secure mode ignores them). None for a
    value that is not known."""
    name = (argv[0] or "").rstrip("/").rsplit("/", 1)[-1]
    if name in ("tar", "gtar"):
        return _tar_options(argv, lookup)
    if name != "less" or lookup("LESSSECURE") == ["1"]:
        return []
    if any(a is not None and (a == "--no-lessopen" or _short_flag(a, "L")) for a in argv[1:]):
        return []
    files = [a for a in argv[1:] if a is None or not a.startswith(("-", "+"))] or ["-"]
    found: list[str | None] = []
    # LESSCLOSE runs only after a LESSOPEN preprocessor did (none set: it never runs).
    names = ("LESSOPEN", "LESSCLOSE") if lookup("LESSOPEN") is not None or script_files.inherited("LESSOPEN") else ()
    for var in names:
        for value in lookup(var) or []:
            if value is None:
                found.append(None)
                continue
            text = value.lstrip("|").lstrip("|").lstrip("-")
            # standard input is preprocessed only by a "-" pipe (``|-cmd``, ``-cmd``): less(1)
            stdin = value.startswith(("|-", "||-", "-")) or var == "LESSCLOSE"
            found += [None if f is None else text.replace("%s", f) for f in files if f != "-" or stdin]
    return found


def _tar_options(argv: list[str | None], lookup: Callable[[str], list[str | None] | None]) -> list[str | None]:
    """What ``TAR_OPTIONS`` (read as options before the command's own) adds to tar's commands."""
    values = lookup("TAR_OPTIONS")
    if values is None:
        values = [script_files.inherited("TAR_OPTIONS")] if script_files.inherited("TAR_OPTIONS") else []
    found: list[str | None] = []
    own = _tar(argv[1:])
    for value in values:
        extra: list[str | None] = [None] if value is None else list(value.split())
        found += [c for c in _tar([*argv[1:], *extra]) if c not in own or c is None]
    return found


def _short_flag(arg: str, letter: str) -> bool:
    return arg.startswith("-") and not arg.startswith("--") and letter in arg[1:]
