"""What a pytest run runs of a test module: collection only (``--collect-only``, ``--fixtures``,
``--version``), or the tests ``-k``/``-m`` select, node ids name (``tests/t.py::test_x``) or
``--deselect`` leaves out.

pytest imports every test module it collects (their top level runs); it calls test functions only
when running them, and only those selected. Where the selection cannot be worked out (parametrize
ids, hooks that change the items, an expression it does not follow), every test counts as run.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    import ast

# Options after which pytest runs no test: it collects (imports the modules) or only reports.
_NO_RUN = frozenset(
    {"--collect-only", "--co", "--fixtures", "--funcargs", "--fixtures-per-test", "--setup-plan", "--markers"}
    | {"--version", "-V", "--help", "-h"}
)
# Text in the suite that changes which items there are or what they are called.
_RESHAPES = (
    *("parametrize", "params", "pytest_generate_tests", "pytest_collection_modifyitems", "add_marker"),
    *("pytest_pycollect", "pytest_itemcollected", "python_functions", "python_classes", "keyword"),
)


def runs_no_test(args: list[str | None]) -> bool:
    """Whether the options make pytest run no test at all (collection or reports only)."""
    return any(a in _NO_RUN for a in args)


def selection(args: list[str | None]) -> tuple[list[str], list[str]] | None:
    """The ``-k`` and ``-m`` expressions given (both may be repeated: the last counts); None when
    one is not known."""
    keyword: list[str] = []
    marks: list[str] = []
    if any(a is None or a.startswith("--doctest") for a in args):
        return None  # doctest items: their names are not read here
    for i, arg in enumerate(args):
        value: str | None = ""
        if arg in ("-k", "-m"):
            value = args[i + 1] if i + 1 < len(args) else None
        elif arg is not None and arg[:2] in ("-k", "-m") and len(arg) > 2:
            value = arg[2:]
        else:
            continue
        if value is None:
            return None
        (keyword if (arg or "")[:2] == "-k" else marks)[:] = [value]
    return keyword, marks


def unselected(text: str, path: str, keyword: list[str], marks: list[str], suite: str) -> tuple[list[str], int] | None:
    """The test functions of the module at ``path`` that ``-k``/``-m`` leave out (``Class.method``
    for methods), and how many tests it has; None when that cannot be worked out (``suite``: the
    text of the conftest files and ini options, which may reshape the items)."""
    import ast

    if any(r in text or r in suite for r in _RESHAPES):
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    module_marks = _marks_of(text) if "pytestmark" in text else set()
    parts = {p for p in path.replace("\\", "/").split("/") if p}
    left_out: list[str] = []
    tests = _tests(tree)
    for name, item, outer in tests:
        words = _decorator_words(item) | outer | module_marks
        names = parts | {name.split(".")[-1]} | outer | words
        chosen = [_matches(e, _substring_of(names)) for e in keyword] + [_matches(e, words.__contains__) for e in marks]
        if None in chosen:
            return None
        if not all(chosen):
            left_out.append(name)
    return left_out, len(tests)


def left_by_ids(args: Sequence[str | None], cwd: str, path: str, text: str, suite: str) -> list[str]:
    """The test functions of the module at ``path`` that the command's node ids leave out: those a
    ``PATH::NAME`` argument does not name (pytest collects only the named items of a file named so),
    and those a ``--deselect`` prefix covers, when node ids are surely relative to ``cwd`` (the
    rootdir, ``_rooted_here``). Nothing is left out where that cannot be worked out."""
    import ast
    import os

    if None in args or any(r in text or r in suite for r in _RESHAPES):
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    names = [name for name, _, _ in _tests(tree)]
    named, prefixes = _id_words(args)
    here = os.path.normpath(path)
    wanted = [w.split("::", 1) for w in named if os.path.normpath(os.path.join(cwd, w.split("::", 1)[0])) == here]
    left: set[str] = set()
    if wanted and all(len(w) == 2 for w in wanted):
        ids = {w[1].split("[", 1)[0] for w in wanted}
        left = {n for n in names if n.replace(".", "::") not in ids and n.split(".")[0] not in ids}
    if prefixes and _rooted_here(args, cwd):
        rel = os.path.relpath(here, cwd).replace(os.sep, "/")
        left |= {n for n in names if f"{rel}::{n.replace('.', '::')}".startswith(tuple(prefixes))}
    return sorted(left)


def _id_words(args: Sequence[str | None]) -> tuple[list[str], list[str]]:
    """The command's positional arguments (what it collects) and ``--deselect`` prefixes."""
    named: list[str] = []
    prefixes: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i] or ""
        if arg == "--deselect" and i + 1 < len(args):
            prefixes.append(args[i + 1] or "\0")  # one not known deselects nothing here
            i += 2
            continue
        if arg.startswith("--deselect="):
            prefixes.append(arg.split("=", 1)[1])
        elif arg in _VALUED:
            i += 1
        elif not arg.startswith("-"):
            named.append(arg)
        i += 1
    return named, [p for p in prefixes if p]


# Options whose value is the next word (a few: a word not known to be one stays a path, which
# only makes more of the suite count as run).
_VALUED = frozenset({"-k", "-m", "-p", "-c", "-o", "-W", "-r", "--rootdir", "--ignore", "--tb", "--basetemp"})
# Files that make their directory pytest's rootdir (node ids are relative to it).
_ROOT_FILES = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg", "setup.py")


def _rooted_here(args: Sequence[str | None], cwd: str) -> bool:
    """Whether pytest's rootdir is surely ``cwd``: no option names another (``--rootdir``, ``-c``),
    every path argument is inside it, and no directory above it holds a file pytest would take
    for the project's root (checked with pytest 9: the common ancestor of the invocation
    directory and the arguments, or the nearest such file upwards). Each look is noted (the
    script cache keys on them)."""
    import os

    from integration_engineer.bash.script_files import is_file

    if any(a is None or a.startswith(("--rootdir", "-c", "--config-file", "--inifile")) for a in args):
        return False
    named, _ = _id_words(args)
    top = os.path.normpath(cwd)
    for word in named:
        where = os.path.normpath(os.path.join(top, word.split("::", 1)[0]))
        if where != top and not where.startswith(top + os.sep):
            return False
    if any(is_file(os.path.join(top, f)) for f in _ROOT_FILES[:5]):
        return True
    up = os.path.dirname(top)
    while True:
        if any(is_file(os.path.join(up, f)) for f in _ROOT_FILES):
            return False
        if os.path.dirname(up) == up:
            return True
        up = os.path.dirname(up)


def _substring_of(names: set[str]) -> Callable[[str], bool]:
    """-k's test: a name matches when it is part of one of the item's names, in any case."""
    lowered = [n.lower() for n in names]

    def has(word: str) -> bool:
        return any(word.lower() in n for n in lowered)

    return has


def _tests(tree: ast.Module) -> list[tuple[str, ast.AST, set[str]]]:
    """The module's test functions as pytest collects them by default (``test*`` functions,
    ``test*`` methods of ``Test*`` classes or of subclasses): name, node, the class's words."""
    import ast

    tests: list[tuple[str, ast.AST, set[str]]] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            tests.append((node.name, node, set()))
        elif isinstance(node, ast.ClassDef) and (node.name.startswith("Test") or node.bases):
            outer = {node.name} | _decorator_words(node)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    tests.append((f"{node.name}.{item.name}", item, outer))
    return tests


def _decorator_words(node: ast.AST) -> set[str]:
    import ast

    found: set[str] = set()
    for decorator in getattr(node, "decorator_list", []):
        for sub in ast.walk(decorator):
            if isinstance(sub, ast.Name):
                found.add(sub.id)
            elif isinstance(sub, ast.Attribute):
                found.add(sub.attr)
    return found


def _marks_of(text: str) -> set[str]:
    words = "".join(c if c.isalnum() or c == "_" else " " for c in text).split()
    return set(words)


def _matches(expression: str, has: Callable[[str], bool]) -> bool | None:
    """A -k/-m expression (names, ``and``, ``or``, ``not``, parentheses) with ``has`` for each
    name; None when it holds anything else."""
    tokens = expression.replace("(", " ( ").replace(")", " ) ").split()
    if not tokens or any(not (t in "()" or t.replace("_", "").replace("-", "").isalnum()) for t in tokens):
        return None
    at = 0

    def parse_or() -> bool | None:
        nonlocal at
        value = parse_and()
        while at < len(tokens) and tokens[at] == "or":
            at += 1
            right = parse_and()
            value = None if value is None or right is None else value or right
        return value

    def parse_and() -> bool | None:
        nonlocal at
        value = parse_not()
        while at < len(tokens) and tokens[at] == "and":
            at += 1
            right = parse_not()
            value = None if value is None or right is None else value and right
        return value

    def parse_not() -> bool | None:
        nonlocal at
        if at >= len(tokens):
            return None
        token = tokens[at]
        at += 1
        if token == "not":
            inner = parse_not()
            return None if inner is None else not inner
        if token == "(":
            inner = parse_or()
            if at >= len(tokens) or tokens[at] != ")":
                return None
            at += 1
            return inner
        if token in (")", "and", "or"):
            return None
        return has(token)

    value = parse_or()
    return value if at == len(tokens) else None


if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
