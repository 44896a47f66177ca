"""What an interpreter one-liner prints when all it does is print string literals.

``stdout(args, lang)``: ``python3 -c 'print("log")'``, ``node -p '"status"'``, ``node -e
'console.log("x")'``, ``perl -e 'print "diff"'``: the text printed, or None for any other code
(a variable, a call, an option that loads more code). Used where bash runs that output as words
(``git $(python3 -c 'print("log")')``). Stdlib only (``ast`` imported only when python is read).
"""

from __future__ import annotations

# Options that change nothing of what such code prints (python -B/-E/-I/-s/-S/-u, perl -w/-l...).
_PYTHON_QUIET = frozenset({"-B", "-E", "-I", "-s", "-S", "-u", "-q", "-O", "-OO", "-P"})


def stdout(args: list[str], lang: str) -> str | None:
    """The output of interpreter ``lang`` run with ``args`` (after the program's name)."""
    if lang in ("python", "pypy"):
        code = _code_after(args, "-c", _PYTHON_QUIET)
        return None if code is None else _python(code)
    if lang in ("node", "nodejs"):
        for flag, printing in (("-p", True), ("--print", True), ("-e", False), ("--eval", False)):
            code = _code_after(args, flag, frozenset())
            if code is not None:
                return _javascript(code, printing)
        return None
    if lang == "perl":
        code = _code_after(args, "-e", frozenset({"-w", "-W", "-X"}))
        return None if code is None else _perl(code)
    return None


def _code_after(args: list[str], flag: str, quiet: frozenset[str]) -> str | None:
    """The code of ``FLAG CODE`` when only options in ``quiet`` come before it and no argument
    after it (the code may read its arguments)."""
    i = 0
    while i < len(args) and args[i] in quiet:
        i += 1
    if args[i : i + 1] != [flag] or len(args) != i + 2:
        return None
    return args[i + 1]


def _python(code: str) -> str | None:
    import ast

    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    out: list[str] = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print"):
            return None
        if call.keywords or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args):
            return None
        out.append(" ".join(str(a.value) for a in call.args if isinstance(a, ast.Constant)) + "\n")
    return "".join(out)


def _javascript(code: str, printing: bool) -> str | None:
    """``node -p LITERAL`` prints the string; ``node -e 'console.log(LITERAL)'`` too, with a
    newline; one literal in single or double quotes with no escape."""
    text = code.strip().rstrip(";").strip()
    if not printing:
        if not (text.startswith("console.log(") and text.endswith(")")):
            return None
        text = text[len("console.log(") : -1].strip()
    literal = _plain_literal(text, "'\"")
    return None if literal is None else literal + "\n"


def _perl(code: str) -> str | None:
    """``print "WORD"`` / ``print 'WORD'`` (a trailing ``\\n`` in double quotes kept as one)."""
    text = code.strip().rstrip(";").strip()
    if not text.startswith("print "):
        return None
    body = text[len("print ") :].strip()
    if body.startswith('"') and body.endswith('\\n"'):
        inner = _plain_literal(body[:-3] + '"', '"')
        return None if inner is None else inner + "\n"
    return _plain_literal(body, "'\"")


def _plain_literal(text: str, quotes: str) -> str | None:
    """The content of a quoted literal holding no escape, interpolation or other quote."""
    if len(text) < 2 or text[0] not in quotes or text[-1] != text[0]:
        return None
    inner = text[1:-1]
    if any(c in inner for c in "\\$@`'\"{}"):
        return None
    return inner
