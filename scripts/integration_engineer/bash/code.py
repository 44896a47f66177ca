"""Interpreter one-liners (python -c, node -e, perl -e, ruby -e, awk programs): can the code start
a program, and which strings could be its command line?

Code that starts no process cannot run git, whatever text it prints (``print("git commit")``).
Code that does is judged by its string literals, alone and joined (``["git", "commit"]``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

# Substrings that show code starting a process, per language family ('' = all).
_SPAWN = (
    "system",
    "exec",
    "spawn",
    "popen",
    "subprocess",
    "child_process",
    "`",
    "qx",
    "%x",
    "open3",
    "check_output",
    "check_call",
    "getline",
    "pty.",
    "shell",
    "command(",
    "passthru",
    "readpipe",
    ".run(",
    ".call(",
    "os.",
    "process.",
    "__import__",
    "vars(",
    "getattr",
    "importlib",
)
_DECODERS = (
    "b64decode",
    "fromhex",
    "chr(",
    "fromcharcode",
    "decode('",
    'decode("',
    "[::-1]",
    "reverse(",
    "unhexlify",
    "rot13",
    "rot_13",
    "atob(",
    "buffer.from",
    "pack(",
    "\\x",
    "\\u",
    "codecs",
    "bytes(",
    "unpack",
    "reverse",
    "join(",
)


# node's ``process.X`` that start nothing; they count only in code that can reach other objects
# in no other way (no require/import/eval, no computed ``[...]`` access: ``m[process.argv[2]]()``).
_PROCESS_SAFE = ("argv", "env.", "stdout.", "stderr.", "exitcode", "exit(", "cwd(", "platform", "pid", "arch")
_REACH = ("require", "import", "eval", "function", "=>", "module", "global", "this", "reflect", "[", "`")


# Python's ``os.X`` that start nothing (its process functions carry _SPAWN names of their own:
# system, popen, exec*, spawn*, posix_spawn); they count only in code that can reach attributes in
# no other way: no getattr/vars/globals/eval/compile/dunder access, no sys.modules or builtins.
_OS_SAFE = frozenset(
    {"path", "environ", "getenv", "getcwd", "listdir", "scandir", "walk", "sep", "linesep", "pathsep"}
    | {"name", "curdir", "pardir", "extsep", "devnull", "makedirs", "mkdir", "stat", "lstat", "getpid"}
    | {"cpu_count", "urandom", "access", "fspath", "get_terminal_size", "isatty", "uname", "getuid"}
    | {"r_ok", "w_ok", "x_ok", "f_ok", "remove", "unlink", "rmdir", "rename", "replace", "chmod"}
)
_PY_REACH = ("getattr", "vars(", "globals(", "locals(", "eval", "compile(", "__", "sys.modules", "builtins")


def spawns(code: str, lang: str) -> bool:
    low = code.lower()
    if lang == "awk":
        # Any pipe, not only to a literal: `print x | cmd` runs the command held in cmd.
        return "system(" in low or "getline" in low or "|" in low.replace("||", "")
    hits = [marker for marker in _SPAWN if marker in low]
    if lang in ("node", "nodejs", "bun", "deno"):
        hits = [h for h in hits if h not in ("`", "qx", "%x")]  # a template literal, not a shell
    if hits == ["process."] and lang in ("node", "nodejs", "bun") and _plain_process(low):
        return False
    if hits == ["os."] and lang.startswith(("python", "pypy")) and _plain_os(low):
        return False
    return bool(hits)


def _plain_os(low: str) -> bool:
    if any(r in low for r in _PY_REACH):
        return False
    pieces = low.split("os.")
    for i in range(1, len(pieces)):
        before, use = pieces[i - 1], pieces[i]
        if before[-1:].isalnum() or before[-1:] == "_":
            continue  # photos.append: another name (an alias of os would need a spawning name)
        attr = ""
        for c in use:
            if not (c.isalnum() or c == "_"):
                break
            attr += c
        if attr not in _OS_SAFE:
            return False
    return True


def _plain_process(low: str) -> bool:
    if any(r in low for r in _REACH):
        return False
    uses = low.split("process.")[1:]
    return all(use.startswith(_PROCESS_SAFE) for use in uses)


def obfuscated(code: str) -> bool:
    """Code that builds strings from encoded pieces: what it runs cannot be read off it."""
    low = code.lower()
    return any(marker in low for marker in _DECODERS)


def literals(code: str, fold: bool = False, starts: list[int] | None = None) -> list[str]:
    """String literals of the code, in order ('...', "...", `...`), with simple escapes; with
    ``fold``, literals joined by ``+``/``.``/``..`` (or only spaces) are one literal. ``starts``
    gets where each literal begins."""
    out: list[str] = []
    joined = False
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c in "'\"`":
            triple = code[i : i + 3] == c * 3
            close = c * 3 if triple else c
            text, j = _quoted(code, i + len(close), close)
            if joined and out:
                out[-1] += text
            else:
                out.append(text)
                if starts is not None:
                    starts.append(i)
            i = j + len(close)
            joined = fold and _joins(code, i)
            continue
        if c == "#" and (i == 0 or code[i - 1] in " \t\n;"):
            end = code.find("\n", i)
            i = n if end < 0 else end
            continue
        i += 1
    return out


def _quoted(code: str, j: int, close: str) -> tuple[str, int]:
    """The text of a literal whose body starts at ``j``, its simple escapes decoded, and where
    ``close`` ends it (``len(code)`` when it never does)."""
    n, buf = len(code), []
    while j < n and not code.startswith(close, j):
        if code[j] == "\\" and j + 1 < n:
            buf.append(_escape(code[j + 1]))
            j += 2
            continue
        buf.append(code[j])
        j += 1
    return "".join(buf), j


def _joins(code: str, at: int) -> bool:
    """Only a concatenation operator (or spaces) between the literal ending at ``at`` and a next one."""
    rest = code[at:].lstrip(" \t")
    for op in ("..", "+", "."):
        if rest.startswith(op):
            rest = rest[len(op) :].lstrip(" \t")
            break
    return rest[:1] in ("'", '"')


def _escape(c: str) -> str:
    return {"n": "\n", "t": "\t"}.get(c, c)


def candidates(code: str) -> list[str]:
    """Command lines the code could run: each literal, and the literals joined."""
    found = literals(code)
    out = [s for s in found if s.strip()]
    if len(found) > 1:
        out.append(" ".join(s.strip() for s in found))
        out.append("".join(found))
        folded = literals(code, fold=True)
        out += [s for s in folded if s not in out]
        out.append(" ".join(s.strip() for s in folded))  # ["git", "com" + "mit"]: git commit
    return out


_PRINTERS = frozenset({"echo", "printf", "print"})


# Calls that print their argument to standard output (Python, node, Tcl, perl, ruby, CMake).
_PRINT_CALLS = ("print(", "print", "puts", "console.log(", "console.error(", "console.info(", "say", "message(")
# Code that may send what it prints somewhere else than standard output.
_REDIRECTS = ("file=", "open", ">", "|", "write", "fs.", "stream", "pipe", "tee", "fh", "STDERR", "$", "%")


def only_printed(code: str, named: Callable[[str], bool]) -> bool:
    """Every literal naming git is text for a printing program (``os.system("echo git push")``,
    ``["echo", "git push"]``) or the plain argument of a print call (``puts "exec git add"``,
    ``print("git push")`` in code that redirects nothing); then it is printed, not run."""
    starts: list[int] = []
    found = literals(code, starts=starts)
    printed = dict(_printed_spans(code, found, starts))
    seen = False
    for i, lit in enumerate(found):
        if not named(lit):
            continue
        seen = True
        first = lit.split()[0] if lit.split() else ""
        if first in _PRINTERS or (i and found[i - 1].strip() in _PRINTERS):
            continue
        if starts[i] not in printed:
            return False
    return seen and not (printed and named(unprinted(code)))  # git outside them (tcl's bare exec) may run


def unprinted(code: str) -> str:
    """The code without the literals that print calls print (``print("git push")``)."""
    starts: list[int] = []
    found = literals(code, starts=starts)
    for start, end in sorted(_printed_spans(code, found, starts), reverse=True):
        code = code[:start] + code[end:]
    return code


def _printed_spans(code: str, found: list[str], starts: list[int]) -> list[tuple[int, int]]:
    """Where the literals a print call prints lie, in code that sends its output nowhere else."""
    if any(r in code for r in _REDIRECTS) or obfuscated(code) or _rebinds_printer(code):
        return []
    spans: list[tuple[int, int]] = []
    for lit, start in zip(found, starts, strict=True):
        before = code[:start].rstrip(" \t").rsplit("\n", 1)[-1].rsplit(";", 1)[-1].strip()
        substituted = any(m in lit for m in ("[", "{", "`", "$("))
        if substituted or code[start] == "`" or not _printer(before) or code[start - 1 : start] == "f":
            continue
        close = code[start] * 3 if code[start : start + 3] == code[start] * 3 else code[start]
        _, end = _quoted(code, start + len(close), close)
        spans.append((start, end + len(close)))
    return spans


def _rebinds_printer(code: str) -> bool:
    """Whether the code may give a print call's name another meaning (``print = os.system``,
    ``proc puts``, ``console.log = ...``, ``def say``)."""
    squeezed = " ".join(code.replace("=", " = ").replace("= =", "==").split())
    for name in ("print", "puts", "console", "log", "say", "message", "info", "error"):
        if f"{name} = " in squeezed or any(f"{k} {name}" in squeezed for k in ("def", "as", "proc", "function", "sub")):
            return True
        if f"rename {name}" in squeezed or f"{name}:" in squeezed:
            return True
    return False


def _printer(before: str) -> bool:
    """The text before a literal ends in a print call's name, a whole word (not ``fingerprint(``)."""
    for call in _PRINT_CALLS:
        if before.endswith(call):
            head = before[: -len(call)]
            return not head or not (head[-1].isalnum() or head[-1] in "_.$")
    return False


def words(code: str) -> set[str]:
    """Identifier-like words of the code, lower-cased (to spot a git verb in it); ``_`` joins an
    identifier (``add_argument``, ``commit_msg`` name no verb)."""
    buf = []
    for c in code.lower():
        buf.append(c if c.isalnum() or c in "-_" else " ")
    return set("".join(buf).split())


# Calls that run text as code, per language: a literal (or literals joined) is read like the rest of
# the code; a value computed as the code runs (decoded, read, fetched) cannot be known.
_EVALS = {
    "python": ("eval(", "exec("),
    "pypy": ("eval(", "exec("),
    "node": ("eval(", "Function(", "runInThisContext(", "runInNewContext(", "runInContext("),
    "nodejs": ("eval(", "Function(", "runInThisContext(", "runInNewContext(", "runInContext("),
    "bun": ("eval(", "Function("),
}


def evaluated(code: str, lang: str) -> list[str]:
    """The arguments of the code's eval/exec/Function calls that are computed as it runs: not a
    literal, literals joined, names bound in the code, ``sys.argv``/``process.argv`` items, nor a
    file read by name (``exec(open("f.py").read())``, followed as a file the code runs)."""
    return [arg for arg in eval_arguments(code, lang) if not _known_argument(arg, code)]


def eval_arguments(code: str, lang: str) -> list[str]:
    """The first arguments of the code's eval/exec/Function calls. An attribute call counts
    (``builtins.exec(c)``: the builtin itself); a longer name does not (``literal_eval``,
    ``myeval``), nor a call without an argument (``model.eval()``)."""
    found: list[str] = []
    for call in _EVALS.get(lang, ()):
        at = code.find(call)
        while at >= 0:
            before = code[at - 1 : at]
            arg = _argument(code, at + len(call))
            if not (before.isalnum() or before == "_") and arg.strip():
                found.append(arg)
            at = code.find(call, at + 1)
    return found


def _argument(code: str, start: int) -> str:
    """The text of a call's first argument, from just after its ``(``."""
    depth, i = 0, start
    while i < len(code):
        c = code[i]
        if c in "'\"`":
            end = code.find(c, i + 1)
            i = len(code) if end < 0 else end + 1
            continue
        if c in "([{":
            depth += 1
        elif (c in ")]}" or c == ",") and depth == 0:
            break
        elif c in ")]}":
            depth -= 1
        i += 1
    return code[start:i]


def _known_argument(arg: str, code: str) -> bool:
    text = arg.strip()
    if text.replace(" ", "").startswith(("open(", "compile(open(")) and literals(text):
        return True  # a file read by name: the file is followed as code it runs
    if text.startswith(("sys.argv[", "process.argv[")):
        return True  # an argument of the command line: read as code with it
    outside = "".join(c for c in _without_literals(text) if not c.isspace())
    # Only names, operators and literals: built from the code's own text (its literals are read).
    return "(" not in outside and not obfuscated(code)


def _without_literals(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            end = text.find(c, i + 1)
            i = len(text) if end < 0 else end + 1
            out.append("''")
            continue
        out.append(c)
        i += 1
    return "".join(out)


def perl_pipes(code: str) -> list[tuple[str | None, bool]]:
    """perl's ``open`` of a pipe: (command, True when the code writes to it). Three arguments
    (``open(my $h, "|-", "CMD")``, ``"-|"``) or two (``open(H, "|CMD")``, ``"CMD |"``); None for
    a command not given as a literal."""
    found: list[tuple[str | None, bool]] = []
    for piece in code.split("open")[1:]:
        statement = piece.split(";", 1)[0]
        if not statement.lstrip().startswith(("(", "my", "$", "local")) and not statement[:1].isspace():
            continue  # another word (opendir, reopen)
        args = literals(statement)
        for k, lit in enumerate(args):
            mode = lit.strip()
            if mode in ("|-", "-|"):
                found.append((_pipe_list(statement, lit, args[k + 1 :]), mode == "|-"))
                break
            if mode.startswith("|") and len(mode) > 1:
                found.append((mode[1:].strip(), True))
                break
            if mode.endswith("|") and len(mode) > 1:
                found.append((mode[:-1].strip(), False))
                break
    return found


def _pipe_list(statement: str, mode: str, after: list[str]) -> str | None:
    """The command of a pipe open given its mode (``"-|"``, ``"|-"``) and then ARGS: one argument
    is a shell command; more are the program and its arguments, run without a shell (``"git",
    "commit"``); None when one is not a literal."""
    rest = statement.split(mode, 1)[1].split(",")[1:]
    words = [w.strip() for w in rest]
    if words and words[-1][:1] in "'\"" and words[-1].find(words[-1][0], 1) > 0:
        end = words[-1].find(words[-1][0], 1)
        if words[-1][end + 1 :].lstrip()[:1] == ")":  # the open's last argument: `) or die` after it
            words[-1] = words[-1][: end + 1]
    if not words or not all(len(w) > 1 and w[:1] in "'\"" and w[-1:] == w[:1] and "\\" not in w for w in words):
        return None
    after = [w[1:-1] for w in words]
    if len(after) == 1:
        return after[0]
    return " ".join("'" + a.replace("'", "'\\''") + "'" for a in after)


def decoded(arg: str) -> str | None:
    """The text an eval argument decodes from one literal (``Buffer.from("...", "base64")``,
    ``b64decode("...")``, ``atob("...")``, hex), when that is all it does; None otherwise."""
    import binascii  # only for code that decodes

    low = arg.lower()
    found = literals(arg)
    if len(found) < 1 or low.count("(") > 4:
        return None
    try:
        if "b64decode(" in low or "atob(" in low or ("buffer.from(" in low and "base64" in low):
            data = binascii.a2b_base64(found[0])
        elif ("buffer.from(" in low and "hex" in low) or "fromhex(" in low or "unhexlify(" in low:
            data = binascii.unhexlify(found[0])
        else:
            return None
        return data.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def awk_commands(code: str) -> list[tuple[str, str]] | None:
    """The shell commands an awk program starts, when each is a string literal: ``print ... |
    "CMD"`` ("out": CMD reads what awk prints), ``"CMD" | getline`` and ``system("CMD")`` ("in":
    CMD shares awk's stdin). None when some pipe, ``system`` or ``getline`` runs anything else
    (a variable, a joined string, ``|&``), or a ``|`` may be inside a regular expression."""
    found: list[tuple[str, str]] = []
    rest: list[str] = []  # the program with its string literals taken out
    literal: list[str] = []  # the literals, in order
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == '"':
            text, j = _quoted(code, i + 1, '"')
            literal.append(text)
            rest.append(f'"{len(literal) - 1}"')
            i = j + 1
            continue
        if c == "/" or (c == "#"):
            return None if "|" in code[i:] or "system" in code[i:] or "getline" in code[i:] else found
        rest.append(c)
        i += 1
    shape = "".join(rest).replace("||", "  ").replace("\n", ";")
    for mark in "(){};|":
        shape = shape.replace(mark, f" {mark} ")
    words = shape.split()
    for k, word in enumerate(words):
        if word == "|":
            before, after = words[k - 1] if k else "", words[k + 1] if k + 1 < len(words) else ""
            opens = k < 2 or words[k - 2] in ("(", "{", ";", "!")
            if after == "getline" and _literal_index(before) is not None and opens:
                found.append(("in", literal[_literal_index(before) or 0]))
            elif _literal_index(after) is not None and (k + 2 >= len(words) or words[k + 2] in (";", "}")):
                found.append(("out", literal[_literal_index(after) or 0]))
            else:
                return None
        elif word == "system":
            call = words[k + 1 : k + 4]
            if len(call) < 3 or call[0] != "(" or _literal_index(call[1]) is None or call[2] != ")":
                return None
            found.append(("in", literal[_literal_index(call[1]) or 0]))
        elif "system" in word or "|&" in word or word.startswith("|"):
            return None
    return found


def _literal_index(word: str) -> int | None:
    if len(word) >= 3 and word[0] == word[-1] == '"' and word[1:-1].isdigit():
        return int(word[1:-1])
    return None
