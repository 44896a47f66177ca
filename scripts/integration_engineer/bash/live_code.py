"""The part of interpreter code that really runs: Python's module-level statements (a function's
body runs only when something calls it), branches whose test is a constant, ``__main__`` guards.

``python(text, main, used)`` returns the code with what never runs taken out (function bodies
nobody can call, untaken constant branches), for the checks of ``code`` to read. Where a call
cannot be ruled out (a decorator, reflection, a name mentioned anywhere else, in this code or
in ``used``: the code that imports it), the body stays: the reading stays closed.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    import ast

# Names of code that can reach functions without naming them (reflection, runners that find
# functions by introspection): every body may run.
_REFLECTION = frozenset(
    {"getattr", "globals", "vars", "locals", "__dict__", "eval", "exec", "compile", "inspect", "importlib"}
    | {"modules", "__builtins__", "builtins", "attrgetter", "methodcaller", "dir", "doctest", "testmod", "fire"}
    | {"unittest", "pytest", "runpy", "pickle", "marshal", "interact", "__main__", "__getattribute__"}
)


def _reflective(text: str, runner_known: bool) -> bool:
    for method in (".compile(", ".eval(", ".exec("):  # re.compile, model.eval: methods, not builtins
        text = text.replace(method, "(")
    words = set(_word_counts(text))
    if runner_known:
        words -= {"pytest", "unittest", "doctest"}
    return not _REFLECTION.isdisjoint(words)


# Decorators that only wrap or register a function, never calling it as the ``def`` runs (by the
# name they are imported under: builtins, or module.name).
_WRAPPING = frozenset(
    {"staticmethod", "classmethod", "property", "pytest.fixture", "functools.wraps", "functools.lru_cache"}
    | {"functools.cache", "functools.cached_property", "contextlib.contextmanager", "abc.abstractmethod"}
    | {"typing.overload", "functools.total_ordering"}
)


def _bindings(tree: ast.Module) -> dict[str, str]:
    """What each name is bound to anywhere in the code: a module or ``module.name`` it imports,
    or ``""`` (bound by the code itself: a def, an assignment, an argument)."""
    import ast

    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                bound[name] = (alias.name if alias.asname else name) if name not in bound else ""
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                name = alias.asname or alias.name
                bound[name] = f"{node.module}.{alias.name}" if name not in bound else ""
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound[node.name] = ""
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound[node.id] = ""
        elif isinstance(node, ast.arg):
            bound[node.arg] = ""
    return bound


def _wrapping(decorator: ast.expr, bound: dict[str, str]) -> bool:
    """``@pytest.fixture``, ``@functools.lru_cache(maxsize=2)``, ``@pytest.mark.slow``,
    ``@staticmethod``: a decorator known not to call what it decorates (arguments only literals)."""
    import ast

    if isinstance(decorator, ast.Call):
        if any(not isinstance(a, ast.Constant) for a in [*decorator.args, *(k.value for k in decorator.keywords)]):
            return False
        decorator = decorator.func
    chain: list[str] = []
    while isinstance(decorator, ast.Attribute):
        chain.append(decorator.attr)
        decorator = decorator.value
    if not isinstance(decorator, ast.Name):
        return False
    origin = bound.get(decorator.id, decorator.id)
    if not origin:
        return False  # a name the code binds itself: what it does is its own
    full = ".".join([origin, *reversed(chain)])
    return full in _WRAPPING or (full.startswith("pytest.mark.") and full.count(".") == 2)


def python(text: str, main: bool, used: str = "", callers: str = "", hooks: tuple[str, ...] | None = None) -> str:
    """Python code as far as it runs: constant branches decided (``if False:``, ``while 0:``,
    ``if __name__ == "__main__":`` with ``main``), and the bodies of functions and methods
    nothing can call emptied. ``used``: other text that can name this code's functions (the
    command, its importers); ``callers``: the Python code among it (reflection there reaches in).
    ``hooks``: the name prefixes of the functions a test runner calls (``pytest_``), when the
    runner is known to call no others: its own name in the code then reaches nothing more.
    The text unchanged when it does not parse (another Python may read it)."""
    import ast  # only for python code that starts processes

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text
    consts = _constants(tree)
    try:
        tree = _Branches(main, consts).visit(tree)
        reach = _without_main_guard(text) + "\n" + callers
        if not _reflective(reach, hooks is not None):
            _empty_uncalled(tree, used, hooks or ())
        return ast.unparse(tree)
    except (RecursionError, ValueError):
        return text


def _without_main_guard(text: str) -> str:
    """The code without its ``__name__ == "__main__"`` tests (a guard, not a reach into __main__)."""
    for quote in ("'", '"'):
        for eq in ("==", "!="):
            text = text.replace(f"__name__ {eq} {quote}__main__{quote}", "").replace(
                f"__name__{eq}{quote}__main__{quote}", ""
            )
    return text


def _constants(tree: ast.Module) -> dict[str, bool]:
    """Module names bound once, at the top level, to a constant (``DRY_RUN = True``) and never
    bound again anywhere (no other assignment, ``global``, ``del``, loop or import of them)."""
    import ast

    stores: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                stores[name] = stores.get(name, 0) + 2
        elif isinstance(node, ast.alias):
            name = (node.asname or node.name).split(".")[0]
            stores[name] = stores.get(name, 0) + 2
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stores[node.name] = stores.get(node.name, 0) + 2
        elif isinstance(node, ast.arg):
            stores[node.arg] = stores.get(node.arg, 0) + 2
    found: dict[str, bool] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and stores.get(node.targets[0].id) == 1
        ):
            found[node.targets[0].id] = bool(node.value.value)
    return found


def _truth(node: ast.expr, main: bool, consts: dict[str, bool]) -> bool | None:
    """The value of a test with no side effects: a constant, a name bound to one, ``__name__ ==
    "__main__"``, and ``not``/``and``/``or`` of those; None for anything else."""
    import ast

    if isinstance(node, ast.Constant):
        return bool(node.value)
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _truth(node.operand, main, consts)
        return None if inner is None else not inner
    if isinstance(node, ast.BoolOp):
        values = [_truth(v, main, consts) for v in node.values]
        if None in values:
            return None  # an operand with side effects, or not known: it may run
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
        sides = [node.left, node.comparators[0]]
        names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
        texts = [s for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
        if len(names) == 1 and len(texts) == 1:
            equal = main if texts[0].value == "__main__" else False
            return equal if isinstance(node.ops[0], ast.Eq) else not equal
    return None


def _branches_class() -> type:
    import ast

    class Branches(ast.NodeTransformer):
        """Statements of untaken constant branches taken out (their test had no side effects)."""

        def __init__(self, main: bool, consts: dict[str, bool]) -> None:
            self.main, self.consts, self.depth = main, consts, 0

        def _known(self, test: ast.expr) -> bool | None:
            # Names bound to constants are trusted at the module's top level only: an importer
            # may rebind them before it calls a function.
            return _truth(test, self.main, self.consts if self.depth == 0 else {})

        def visit_If(self, node: ast.If) -> list[ast.stmt] | ast.stmt:
            value = self._known(node.test)
            self.generic_visit(node)
            if value is None:
                return node
            return (node.body if value else node.orelse) or [ast.Pass()]

        def visit_While(self, node: ast.While) -> list[ast.stmt] | ast.stmt:
            value = self._known(node.test)
            self.generic_visit(node)
            if value is False:
                return node.orelse or [ast.Pass()]
            return node

        def visit_IfExp(self, node: ast.IfExp) -> ast.expr:
            value = self._known(node.test)
            self.generic_visit(node)
            if value is None:
                return node
            return node.body if value else node.orelse

        def _nested(self, node: ast.AST) -> ast.AST:
            self.depth += 1
            try:
                self.generic_visit(node)
            finally:
                self.depth -= 1
            return node

        visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _nested

    return Branches


def _Branches(main: bool, consts: dict[str, bool]) -> ast.NodeTransformer:  # noqa: N802 - a class made lazily
    transformer: ast.NodeTransformer = _branches_class()(main, consts)
    return transformer


def _empty_uncalled(tree: ast.Module, used: str, hooks: tuple[str, ...]) -> None:
    """Empty, until nothing changes, the bodies of functions whose name appears nowhere else (in
    the live code or ``used``), and the methods of a plain class (no bases, no keywords) whose
    name appears nowhere else: no instance is made, so none of its methods runs. Decorated
    functions keep their bodies (a decorator may call them); dunder functions too."""
    import ast

    outside = _word_counts(used)
    bound = _bindings(tree)
    for _ in range(8):
        counts = dict(outside)
        for name in _names(tree):
            counts[name] = counts.get(name, 0) + 1
        changed = False
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and not node.bases and not node.keywords and counts.get(node.name) == 1:
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and _emptied(item, bound):
                        changed = True
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("__"):
                if counts.get(node.name) == 1 and not node.name.startswith(hooks or ("\0",)) and _emptied(node, bound):
                    changed = True
        if not changed:
            return


def _names(tree: ast.AST) -> list[str]:
    """The names the code uses or binds, once per use: variables, attributes, imported names,
    definitions (a string naming a function calls nothing without reflection, ruled out)."""
    import ast

    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
        elif isinstance(node, ast.alias):
            found += [node.name.split(".")[-1], *([node.asname] if node.asname else [])]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found += node.names
        elif isinstance(node, ast.keyword) and node.arg:
            found.append(node.arg)
    return found


def _emptied(node: ast.FunctionDef | ast.AsyncFunctionDef, bound: dict[str, str]) -> bool:
    """Empty a function's body (its decorators, defaults and annotations stay: they run when the
    ``def`` does); False when it was empty already or has decorators."""
    import ast

    if not all(_wrapping(d, bound) for d in node.decorator_list) or (
        len(node.body) == 1 and isinstance(node.body[0], ast.Pass)
    ):
        return False
    node.body = [ast.Pass()]
    return True


def _word_counts(text: str) -> dict[str, int]:
    """How many times each identifier-like word occurs (in code, strings and comments alike)."""
    counts: dict[str, int] = {}
    word: list[str] = []
    for c in text + " ":
        if c.isalnum() or c == "_":
            word.append(c)
        elif word:
            w = "".join(word)
            counts[w] = counts.get(w, 0) + 1
            word = []
    return counts


def emptied(text: str, names: list[str]) -> str:
    """Python code with the bodies of the functions ``names`` (``Class.method`` for methods, top
    level only) emptied: tests a runner leaves out. The text unchanged when it does not parse."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text
    wanted = set(names)
    for node in tree.body:
        items = [(node.name, node)] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        if isinstance(node, ast.ClassDef):
            items = [
                (f"{node.name}.{i.name}", i)
                for i in node.body
                if isinstance(i, (ast.FunctionDef, ast.AsyncFunctionDef))
            ]
        for name, item in items:
            if name in wanted:
                item.body = [ast.Pass()]
    try:
        return ast.unparse(tree)
    except (RecursionError, ValueError):
        return text
