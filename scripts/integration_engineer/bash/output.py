"""What a command prints, when that is known without running it.

Enough to follow text that is later run as a script: ``echo``/``printf``, ``cat`` of a
here-document or of a file written earlier in the same command, and the usual decoders
(``base64 -d``, ``xxd -r -p``, ``rev``, ``tr``). ``which git`` prints a path to git; an
interpreter one-liner that only prints literals prints them (``printed.py``).
Anything else is unknown (None).
"""

from __future__ import annotations

from integration_engineer.bash import printed, text_filters
from integration_engineer.bash.expand import Argv, Env, decode_escapes, expand_argv, value_of
from integration_engineer.bash.parser import Pipeline, Script, SimpleCommand
from integration_engineer.bash.resolve import basename, interpreter

Files = dict[str, "str | None"]


def script_stdout(script: Script, env: Env, files: Files) -> str | None:
    """Output of a script made of one pipeline of simple commands, else None."""
    items = script.body.items
    if len(items) != 1 or len(items[0].pipelines) != 1:
        return None
    return pipeline_stdout(items[0].pipelines[0], env, files, len(items[0].pipelines[0].commands))


def pipeline_stdout(pipeline: Pipeline, env: Env, files: Files, upto: int, stdin: str | None = "") -> str | None:
    """Output of the first ``upto`` commands of a pipeline (what command ``upto`` reads), the
    first reading ``stdin``."""
    data: str | None = stdin
    for cmd in pipeline.commands[:upto]:
        if not isinstance(cmd, SimpleCommand):
            return None
        data = command_stdout(cmd, env, files, data)
        if data is None:
            return None
    return data


def redirected_stdin(cmd: SimpleCommand, env: Env, files: Files) -> str | bool | None:
    """The command's stdin from a here-document, here-string or file; False when none given."""
    for redirect in reversed(cmd.redirects):
        if redirect.fd not in (None, "0"):
            continue
        if redirect.heredoc is not None:
            values = value_of(redirect.heredoc.body, env)
            return values[0] if len(values) == 1 else None
        if redirect.op == "<&" and redirect.target.value != "0":
            return None  # a descriptor opened elsewhere: not known here
        if redirect.op == "<<<":
            values = value_of(redirect.target, env)
            return None if len(values) != 1 or values[0] is None else values[0] + "\n"
        if redirect.op in ("<", "<>"):
            path = redirect.target.value
            if path == "/dev/null":
                return ""
            return files.get(path) if path is not None else None
    return False


def command_stdout(cmd: SimpleCommand, env: Env, files: Files, stdin: str | None) -> str | None:
    given = redirected_stdin(cmd, env, files)
    if given is not False:
        stdin = given if isinstance(given, str) else None
    if not cmd.words and not cmd.assignments and [r.op for r in cmd.redirects] == ["<"]:
        return stdin  # $(< f): bash reads the file itself
    sent = stdout_elsewhere(cmd, env)
    if sent is not False:
        return "" if sent else None
    argvs = expand_argv(cmd.words, env)
    if len(argvs) != 1:
        return None
    named = {(w.value or "").partition("=")[0] for w in cmd.assignments} | set(env.vars)
    if argvs[0] and interpreter(basename(argvs[0][0] or "")) and not named.isdisjoint(_PRELOADS):
        return None  # code loaded at start-up (sitecustomize, --require) may print too
    return argv_stdout(argvs[0], files, stdin)


# Variables that make an interpreter load code of its own before the one-liner's.
_PRELOADS = frozenset({"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "NODE_OPTIONS", "PERL5OPT"})


# Paths that are the process's own stdout: writing to them is printing.
_STDOUT_PATHS = frozenset({"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/dev/tty"})


def stdout_elsewhere(cmd: SimpleCommand, env: Env) -> bool | None:
    """Whether the command's stdout goes to a file rather than the pipe: True when the last
    ``>``-like redirection of fd 1 names a file, None when its target is not known or is the
    stdout itself spelled as a path (``>/dev/stdout`` still prints), False when none is given."""
    for redirect in reversed(cmd.redirects):
        if redirect.op in (">", ">>", ">|", "&>", "&>>") and redirect.fd in (None, "1"):
            values = value_of(redirect.target, env)
            path = values[0] if len(values) == 1 else None
            return None if path is None or path in _STDOUT_PATHS else True
    return False


def argv_stdout(argv: Argv, files: Files, stdin: str | None) -> str | None:
    if not argv or argv[0] is None or any(a is None for a in argv):
        return None
    args = [a for a in argv if a is not None]
    name = args[0].rsplit("/", 1)[-1]
    handler = _PRODUCERS.get(name)
    if handler is None and interpreter(name):
        return printed.stdout(args[1:], interpreter(name))
    return handler(args[1:], files, stdin) if handler else None


def _echo(args: list[str], _files: Files, _stdin: str | None) -> str | None:
    newline, escapes = True, False
    while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
        newline = newline and "n" not in args[0]
        escapes = "e" in args[0] or (escapes and "E" not in args[0])
        args = args[1:]
    text = " ".join(args)
    return (unescape(text) if escapes else text) + ("\n" if newline else "")


def unescape(text: str) -> str:
    """Backslash escapes as echo -e, printf and $'...' read them."""
    return decode_escapes(text, echo_octal=True)


def _printf(args: list[str], _files: Files, _stdin: str | None) -> str | None:
    if args[:1] == ["-v"]:
        return ""
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        return None
    fmt, values = args[0], args[1:]
    out, at = [], 0
    while True:  # the format is reused until the arguments are used up
        text, used = _format(fmt, values, at)
        if text is None:
            return None
        out.append(text)
        at += used
        if at >= len(values) or used == 0:
            return "".join(out)


def _format(fmt: str, values: list[str], at: int = 0) -> tuple[str | None, int]:
    """One pass of printf's format over ``values[at:]``: its text and how many values it used."""
    out, i, used = [], 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            j = i + 1
            while j < len(fmt) and fmt[j] in "-+ #0123456789.":
                j += 1
            conv = fmt[j] if j < len(fmt) else ""
            if conv == "%":
                out.append("%")
            elif conv and conv in "sbqcdiuxXo":
                value = _converted(conv, fmt[i + 1 : j], values[at + used] if at + used < len(values) else "")
                used += 1
                if value is None:
                    return None, used
                out.append(value)
            else:
                return None, used
            i = j + 1
            continue
        if c == "\\":
            consumed = _escape_len(fmt, i)
            out.append(unescape(fmt[i : i + consumed]))
            i += consumed
            continue
        out.append(c)
        i += 1
    return "".join(out), used


_MAX_WIDTH = 4096  # a wider field is not followed (it would only pad, and costs memory)


def _converted(conv: str, spec: str, value: str) -> str | None:
    """One ``%SPECconv`` of printf applied to its argument; None when not followed."""
    if any(int(n) > _MAX_WIDTH for n in spec.replace(".", " ").replace("-", " ").split() if n.isdigit()):
        return None
    if conv == "b":
        value = unescape(value)
    elif conv == "c":
        value, spec = value[:1], spec.split(".", 1)[0]  # %c ignores a precision
    elif conv == "q":
        return None if spec else value  # the quoted form is narrower in what it runs; widths not followed
    try:
        if conv in "diuxXo":
            return ("%" + spec + conv) % int(value or "0", 0)
        return ("%" + spec + "s") % value if spec else value  # %.3s prints 3 characters
    except (ValueError, TypeError):
        return None


def _escape_len(text: str, i: int) -> int:
    if i + 1 >= len(text):
        return 1
    nxt = text[i + 1]
    limit = {"x": 2, "u": 4, "U": 8}.get(nxt, 0)
    digits = "0123456789abcdefABCDEF" if limit else "01234567"
    j = i + 2 if limit or nxt == "0" else i + 1
    if not limit and nxt != "0" and nxt not in "01234567":
        return 2
    end = j + (limit or 3)
    while j < end and j < len(text) and text[j] in digits:
        j += 1
    return j - i


def _cat(args: list[str], files: Files, stdin: str | None) -> str | None:
    return _lines_of([a for a in args if not a.startswith("-") or a == "-"], files, stdin)


def _lines_of(args: list[str], files: Files, stdin: str | None) -> str | None:
    """The text a reader reads: its files one after another, or stdin."""
    if not args:
        return stdin
    out = []
    for path in args:
        content = stdin if path == "-" else files.get(path)
        if content is None:
            return None
        out.append(content)
    return "".join(out)


def lines_of_text(text: str) -> list[str]:
    """Lines as head, tail, sed and rev see them: ended by a newline only (``str.splitlines``
    also splits at \\r, \\v, \\f and others, where these programs see one line)."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _line_count(args: list[str]) -> tuple[str | None, list[str]]:
    """head/tail's count (``-n N``, ``-nN``, ``--lines=N``, ``-N``; default 10) as written, and
    their files; None when an option is not one of those."""
    count: str | None = "10"
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-n", "--lines") and i + 1 < len(args):
            count, i = args[i + 1], i + 1
        elif arg.startswith("--lines="):
            count = arg[len("--lines=") :]
        elif arg.startswith("-n"):
            count = arg[2:]
        elif arg[:1] == "-" and arg[1:].isdigit():
            count = arg[1:]
        elif arg.startswith("-") and arg != "-":
            return None, paths
        else:
            paths.append(arg)
        i += 1
    return (count if count is not None and count.lstrip("+-").isdigit() else None), paths


def _counted(args: list[str], files: Files, stdin: str | None) -> tuple[str, int, list[str]] | None:
    """head's and tail's count (its sign, its number) and the lines of their one input."""
    count, paths = _line_count(args)
    text = _lines_of(paths, files, stdin) if len(paths) <= 1 else None
    if count is None or text is None:
        return None
    return count[:1], int(count.lstrip("+-")), lines_of_text(text)


def _head(args: list[str], files: Files, stdin: str | None) -> str | None:
    got = _counted(args, files, stdin)
    if got is None:
        return None
    sign, n, lines = got
    return "".join(lines[: len(lines) - n] if sign == "-" else lines[:n])  # -n -N: all but N


def _tail(args: list[str], files: Files, stdin: str | None) -> str | None:
    got = _counted(args, files, stdin)
    if got is None:
        return None
    sign, n, lines = got
    return "".join(lines[max(n, 1) - 1 :] if sign == "+" else lines[len(lines) - n :] if n else [])


def _sed(args: list[str], files: Files, stdin: str | None) -> str | None:
    """``sed -n 'Np'``, ``'N,Mp'``, ``'$p'``, ``sed 'Nq'``: lines of its input picked by number."""
    quiet, script, paths = False, None, list[str]()
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in ("-n", "--quiet", "--silent"):
            quiet = True
        elif arg in ("-e", "--expression") and rest and script is None:
            script = rest.pop(0)
        elif arg.startswith("-") and arg != "-":
            return None
        elif script is None:
            script = arg
        else:
            paths.append(arg)
    text = _lines_of(paths, files, stdin)
    if script is None or text is None:
        return None
    lines = lines_of_text(text)
    script = script.strip()
    if not quiet and script[:-1].isdigit() and script.endswith("q"):
        return "".join(lines[: int(script[:-1])])
    if not quiet or not script.endswith("p"):
        return None
    span = [_sed_line(part, len(lines)) for part in script[:-1].split(",")]
    if len(span) > 2 or None in span:
        return None
    first, last = span[0] or 0, span[-1] or 0
    return "".join(lines[first - 1 : max(first, last)]) if first >= 1 else ""


def _sed_line(address: str, count: int) -> int | None:
    address = address.strip()
    if address == "$":
        return count
    return int(address) if address.isdigit() else None


# What stands for a ref's value in ``for-each-ref --shell`` output: one word, its text unknown
# (``$$``, which no command can assign), that may hold anything, git too (so a program that runs
# it as code, ``bash -c %(refname)``, is refused).
REF_WORD = '"$$"git'
_HEX = "0123456789abcdefABCDEF"


def _git(args: list[str], _files: Files, _stdin: str | None) -> str | None:
    """``git for-each-ref --shell --format=FMT``: a line per ref, FMT with each ``%(atom)`` a
    single-quoted word. Known in shape when FMT itself quotes nothing: each atom is then one word
    of unknown text (two lines stand for any number of refs)."""
    if not args or args[0] != "for-each-ref" or "--shell" not in args:
        return None
    fmt = None
    for i, arg in enumerate(args):
        if arg == "--format" and i + 1 < len(args):
            fmt = args[i + 1]
        elif arg.startswith("--format="):
            fmt = arg[len("--format=") :]
    line = _ref_line(fmt) if fmt is not None else None
    return None if line is None else (line + "\n") * 2


def _ref_line(fmt: str) -> str | None:
    out, i = [], 0
    while i < len(fmt):
        if fmt.startswith("%%", i):
            out.append("%")
            i += 2
        elif fmt.startswith("%(", i):
            end = fmt.find(")", i)
            atom = fmt[i + 2 : end] if end > 0 else ""
            if not atom or atom.split(":")[0] in ("if", "then", "else", "end", "align"):
                return None  # no atom, or one that changes the quoting
            out.append(REF_WORD)
            i = end + 1
        elif fmt[i] == "%" and len(fmt[i + 1 : i + 3]) == 2 and all(c in _HEX for c in fmt[i + 1 : i + 3]):
            out.append(chr(int(fmt[i + 1 : i + 3], 16)))  # %xx: the byte itself
            i += 3
        else:
            out.append(fmt[i])
            i += 1
    line = "".join(out)
    literal = line.replace(REF_WORD, "")
    if any(c in literal for c in "'\"\\\n`$"):
        return None  # the format quotes or expands itself: an atom's word is not known in shape
    return line


def _decoder_input(args: list[str], flags: tuple[str, ...], files: Files, stdin: str | None) -> str | None:
    """What base64 -d / xxd -r -p decode: their file operand, else stdin; None when an option
    other than ``flags`` is given (it may change what is printed) or the input is not known."""
    options = [a for a in args if a.startswith("-") and a != "-"]
    if any(a not in flags for a in options):
        return None
    paths = [a for a in args if a not in options]
    return _lines_of(paths, files, stdin) if len(paths) <= 1 else None


def _base64(args: list[str], files: Files, stdin: str | None) -> str | None:
    if not any(a in ("-d", "--decode", "-D") for a in args):
        return None
    data = _decoder_input(args, ("-d", "--decode", "-D", "-i", "--ignore-garbage"), files, stdin)
    if data is None:
        return None
    import base64
    import binascii

    data = "".join(data.split())
    if "=" in data.rstrip("="):
        return None  # padding inside: GNU base64 decodes on after it, Python stops there
    try:
        return base64.b64decode(data, validate=False).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def _xxd(args: list[str], files: Files, stdin: str | None) -> str | None:
    if "-r" not in args:
        return None
    data = _decoder_input(args, ("-r", "-p", "-ps", "-plain"), files, stdin)
    if data is None:
        return None
    try:
        return bytes.fromhex("".join(data.split())).decode("utf-8", "replace")
    except ValueError:
        return None


def _rev(args: list[str], _files: Files, stdin: str | None) -> str | None:
    if stdin is None or args:
        return None
    return "".join(line.rstrip("\n")[::-1] + "\n" for line in lines_of_text(stdin))


def _tr(args: list[str], _files: Files, stdin: str | None) -> str | None:
    """``tr SET1 SET2``, ``tr -d SET``, ``tr -s SET [SET2]`` (squeezing the last set's repeats)."""
    flags, sets = (args[0], args[1:]) if args and args[0].startswith("-") else ("", args)
    if stdin is None or flags not in ("", "-d", "-s") or not 1 <= len(sets) <= 2:
        return None
    chars = [_tr_set(spec) for spec in sets]
    if None in chars:
        return None
    src, dst = chars[0] or "", chars[-1] or ""
    if flags == "-d":
        return "".join(c for c in stdin if c not in src) if len(sets) == 1 else None
    if len(sets) == 2:
        if not dst:
            return None
        stdin = stdin.translate({ord(a): dst[min(i, len(dst) - 1)] for i, a in enumerate(src)})
    elif flags != "-s":
        return None
    return _squeezed(stdin, dst) if flags == "-s" else stdin


def _squeezed(text: str, repeated: str) -> str:
    out: list[str] = []
    for c in text:
        if not (out and out[-1] == c and c in repeated):
            out.append(c)
    return "".join(out)


# The POSIX classes in the C locale, in character order (as tr lists them).
_TR_CLASSES = {
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "lower": "abcdefghijklmnopqrstuvwxyz",
    "digit": "0123456789",
    "blank": "\t ",
    "space": "\t\n\v\f\r ",
}
_TR_CLASSES["alpha"] = _TR_CLASSES["upper"] + _TR_CLASSES["lower"]
_TR_CLASSES["alnum"] = _TR_CLASSES["digit"] + _TR_CLASSES["alpha"]


def _tr_set(spec: str) -> str | None:
    """The characters of a tr set: ranges and the classes above; None for any other bracket
    form (``[=a=]``, ``[x*3]``, another class), which is not followed."""
    spec = unescape(spec)
    out, i = list[str](), 0
    while i < len(spec):
        if spec.startswith("[:", i):
            end = spec.find(":]", i + 2)
            name = spec[i + 2 : end] if end > 0 else ""
            if name not in _TR_CLASSES:
                return None
            out.append(_TR_CLASSES[name])
            i = end + 2
        elif spec.startswith(("[=", "["), i) and ("*" in spec or "=" in spec):
            return None
        elif i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def _which(args: list[str], _files: Files, _stdin: str | None) -> str | None:
    names = [a for a in args if not a.startswith("-")]
    return "".join(f"/usr/bin/{n.rsplit('/', 1)[-1]}\n" for n in names) if names else None


def _command_v(args: list[str], files: Files, stdin: str | None) -> str | None:
    if args[:1] in (["-v"], ["-V"]):
        return _which(args[1:], files, stdin)
    return None


def _type(args: list[str], files: Files, stdin: str | None) -> str | None:
    if any(a in ("-p", "-P", "-ap", "-aP") for a in args):
        return _which(args, files, stdin)
    return None


def _paste(args: list[str], files: Files, stdin: str | None) -> str | None:
    return text_filters.paste(args, lambda paths: _lines_of(paths, files, stdin), unescape)


def _cut(args: list[str], files: Files, stdin: str | None) -> str | None:
    return text_filters.cut(args, lambda paths: _lines_of(paths, files, stdin))


def _jq(args: list[str], files: Files, stdin: str | None) -> str | None:
    return text_filters.jq(args, lambda paths: _lines_of(paths, files, stdin))


def _nothing(_args: list[str], _files: Files, _stdin: str | None) -> str | None:
    return ""


_PRODUCERS = {
    "true": _nothing,
    "false": _nothing,
    ":": _nothing,
    "echo": _echo,
    "printf": _printf,
    "cat": _cat,
    "head": _head,
    "tail": _tail,
    "sed": _sed,
    "base64": _base64,
    "xxd": _xxd,
    "rev": _rev,
    "tr": _tr,
    "paste": _paste,
    "cut": _cut,
    "jq": _jq,
    "which": _which,
    "git": _git,
    "command": _command_v,
    "type": _type,
}
