"""The part of interpreter code that really runs: Python's module-level statements (a function's
body runs only when something calls it), branches whose test is a constant, ``__main__`` guards;
CMake scripts' commands outside false ``if()`` blocks and uncalled ``function()``/``macro()``;
JavaScript and Tcl without their uncalled named functions (procs), constant-false ``if`` bodies
and (Tcl) comments; Perl without its uncalled ``sub``s and what follows a top-level ``exit``.

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


def words(text: str) -> list[str]:
    """The identifier-like words of a text."""
    return list(_word_counts(text))


def reflective(text: str) -> bool:
    """Whether Python code can reach functions without naming them (getattr, globals(), ...)."""
    return _reflective(text, False)


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
    """``python_pruned``'s code alone."""
    return python_pruned(text, main, used, callers, hooks)[0]


def python_pruned(
    text: str, main: bool, used: str = "", callers: str = "", hooks: tuple[str, ...] | None = None
) -> tuple[str, list[str]]:
    """Python code as far as it runs: constant branches decided (``if False:``, ``while 0:``,
    ``if __name__ == "__main__":`` with ``main``), and the bodies of functions and methods
    nothing can call emptied. ``used``: other text that can name this code's functions (the
    command, its importers); ``callers``: the Python code among it (reflection there reaches in).
    ``hooks``: the name prefixes of the functions a test runner calls (``pytest_``), when the
    runner is known to call no others: its own name in the code then reaches nothing more.
    The text unchanged when it does not parse (another Python may read it); with the names of
    the functions whose bodies were emptied (code read later that names one may call it)."""
    import ast  # only for python code that starts processes

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text, []
    reach = _without_main_guard(text) + "\n" + callers
    consts = {} if _reflective(reach, False) else _constants(tree)  # globals()["DRY"] = False
    try:
        tree = _branches(main, consts).visit(tree)
        emptied = _empty_uncalled(tree, used, hooks or ()) if not _reflective(reach, hooks is not None) else []
        return ast.unparse(tree), emptied
    except (RecursionError, ValueError):
        return text, []


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
        elif isinstance(node, ast.alias) and node.name == "*":
            return {}  # from m import *: any name may be bound again
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


def _branches(main: bool, consts: dict[str, bool]) -> ast.NodeTransformer:
    transformer: ast.NodeTransformer = _branches_class()(main, consts)
    return transformer


def _empty_uncalled(tree: ast.Module, used: str, hooks: tuple[str, ...]) -> list[str]:
    """Empty, until nothing changes, the bodies of functions whose name appears nowhere else (in
    the live code or ``used``), and the methods of a plain class (no bases, no keywords) whose
    name appears nowhere else (no bases, keywords or decorators): no instance is made, so none of
    its methods runs. Functions with a decorator not known to only wrap keep their bodies (it may
    call them), and so do dunder functions and those named as ``hooks``. Returns the names."""
    import ast

    outside = _word_counts(used)
    bound = _bindings(tree)
    emptied: list[str] = []
    for _ in range(8):
        counts = dict(outside)
        for name in _names(tree):
            counts[name] = counts.get(name, 0) + 1
        changed = False
        for node in ast.walk(tree):
            plain = isinstance(node, ast.ClassDef) and not (node.bases or node.keywords or node.decorator_list)
            if isinstance(node, ast.ClassDef) and plain and counts.get(node.name) == 1:
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and _emptied(item, bound):
                        changed = True
                        emptied += [node.name, item.name]
            elif (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and not node.name.startswith(("__", *hooks))
                and counts.get(node.name) == 1
                and _emptied(node, bound)
            ):
                changed = True
                emptied.append(node.name)
        if not changed:
            break
    return emptied


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


# CMake constants that are false under every policy (under the old CMP0012 a named constant is
# read as a variable, unset: false too); true ones (ON, TRUE...) are variables then, not known.
_CMAKE_FALSE = frozenset({"0", "off", "no", "false", "n", "ignore", "notfound", ""})


def cmake(text: str) -> str:
    """A CMake script's commands that may run, one a line: those in an ``if()`` branch that is
    not surely untaken, and the bodies of functions and macros called somewhere (by name; all of
    them when ``cmake_language`` or ``variable_watch`` may call one by a computed name)."""
    commands = _cmake_commands(text)
    names = [name for name, _ in commands]
    dynamic = "cmake_language" in names or "variable_watch" in names
    called = set(names)
    kept: list[str] = []
    branches: list[list[bool | None]] = []  # per open if(): [this branch may run, an earlier one surely did]
    skipping: list[str] = []  # the function/macro whose uncalled body is being skipped
    for name, args in commands:
        if skipping:
            if name == f"end{skipping[-1]}":
                skipping.pop()
            elif name in ("function", "macro"):
                skipping.append(name)
            continue
        if name in ("function", "macro"):
            defined = (args.split() or [""])[0].strip('"').lower()
            if not dynamic and defined not in called:
                skipping.append(name)
                continue
        if name == "if":
            value = _cmake_truth(args)
            branches.append([value is not False, value is True])
            continue
        if name in ("elseif", "else") and branches:
            value = _cmake_truth(args) if name == "elseif" else True
            done = branches[-1][1]
            branches[-1] = [not done and value is not False, bool(done) or value is True]
            continue
        if name == "endif" and branches:
            branches.pop()
            continue
        if all(b[0] for b in branches):
            kept.append(f"{name}({args})")
    return "\n".join(kept)


def _cmake_truth(args: str) -> bool | None:
    """``if(0)``, ``if(OFF)``, ``if(NOT 1)``: a constant condition's value; None otherwise."""
    words = args.split()
    negated = False
    while words[:1] and words[0].upper() == "NOT":
        negated, words = not negated, words[1:]
    if len(words) > 1:
        return None
    word = (words[0] if words else "").strip('"').lower()
    if word in _CMAKE_FALSE or word.endswith("-notfound"):
        value = False
    elif word.replace(".", "", 1).isdigit() and float(word) != 0:
        value = True
    else:
        return None
    return value != negated


def _cmake_commands(text: str) -> list[tuple[str, str]]:
    """The commands of CMake text, in order: (name lower-cased, the text between its parentheses),
    with comments taken out."""
    found: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            k = j
            while k < n and text[k] in " \t":
                k += 1
            if k < n and text[k] == "(":
                end = _cmake_close(text, k)
                found.append((text[i:j].lower(), text[k + 1 : end]))
                i = end + 1
                continue
            i = j
            continue
        i += 1
    return found


def _cmake_close(text: str, at: int) -> int:
    """Where the parenthesis opened at ``at`` closes (quoted text and nested parentheses skipped)."""
    depth, i = 0, at
    while i < len(text):
        c = text[i]
        if c == '"':
            end = text.find('"', i + 1)
            while end > 0 and text[end - 1] == "\\":
                end = text.find('"', end + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if c == "#" and text[i - 1] in " \t\n(":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)


# JavaScript that can reach a function without naming it.
_JS_REACH = frozenset({"eval", "Function", "globalThis", "global", "this", "window", "self", "Reflect", "vm"})
_JS_REACH |= {"arguments", "export", "exports", "module"}
_JS_FALSE = frozenset({"false", "0", "null", "undefined", '""', "''", "void 0", "!1", "!true", "NaN"})


def javascript(text: str, used: str = "", environ: dict[str, str] | None = None) -> str:
    """``javascript_pruned``'s code alone."""
    return javascript_pruned(text, used, environ)[0]


def javascript_pruned(text: str, used: str = "", environ: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """JavaScript with the bodies of named functions nothing names again emptied and the
    statements of ``if (false)`` (``0``, ``null``...) taken out; unchanged where its shape is not
    plain (a ``/`` that may open a regular expression inside what would go). ``environ``: the
    variables the process surely has ("" when removed), which decide ``if (process.env.NAME)``
    when nothing in the code can change them (``_js_env_steady``). With the names of the
    exported functions emptied (code read later that names one, or walks the exports, may call it)."""
    mask = _js_code_mask(text)
    if mask is None:
        return text, []
    known = environ if environ and _js_env_steady(text, mask) else {}
    counts = _word_counts(_js_code_only(text) + "\n" + used)
    if not _JS_REACH.isdisjoint(counts):
        emptied: list[str] = []
        if _JS_REACH.isdisjoint(set(counts) - _JS_EXPORTS):
            text = _js_uncalled_values(text, mask, used, emptied)  # exported: by name only
            mask = _js_code_mask(text) or [False] * len(text)
        return _js_false_ifs(text, mask, known), emptied
    out, i = [], 0
    while True:
        at = text.find("function ", i)
        if at < 0:
            break
        if not mask[at]:  # the word inside a string or comment
            out.append(text[i : at + 1])
            i = at + 1
            continue
        j = at + len("function ")
        name_end = j
        while name_end < len(text) and (text[name_end].isalnum() or text[name_end] in "_$"):
            name_end += 1
        name = text[j:name_end]
        open_at = text.find("{", name_end)
        plain = open_at > 0 and mask[open_at] and name and counts.get(name) == 1
        close = _js_block_end(text, open_at) if plain else -1
        if close < 0 or (at and (text[at - 1].isalnum() or text[at - 1] in "_$.")):
            out.append(text[i:j])
            i = j
            continue
        out.append(text[i : open_at + 1] + "}")
        i = close + 1
    out.append(text[i:])
    pruned = "".join(out)
    return _js_false_ifs(pruned, _js_code_mask(pruned) or [False] * len(pruned), known), []


# Words with which code reaches an object's functions without naming them (iteration, computed
# keys, handing the object on), or runs them later.
_JS_WALKS = frozenset({"Object", "for", "forEach", "map", "filter", "reduce", "some", "every", "find"})
_JS_WALKS |= {"apply", "call", "bind", "values", "entries", "keys", "assign", "JSON", "Proxy", "then"}
_JS_WALKS |= {"on", "once", "emit", "addListener", "setTimeout", "setInterval", "setImmediate", "new", "class"}
_JS_WALKS |= {"default", "Symbol", "prototype", "__proto__", "with", "require", "import"}
_JS_EXPORTS = frozenset({"export", "exports", "module"})


def js_walks(text: str) -> bool:
    """Whether JavaScript may reach an object's functions without naming them."""
    return "[" in text or not _JS_WALKS.isdisjoint(set(_word_counts(text)) - {"require"})


def _js_uncalled_values(text: str, mask: list[bool], used: str, emptied: list[str]) -> str:
    """Code that exports functions (``module.exports = { push: () => ... }``, ``exports.push =
    function () {...}``) with the bodies of those bound to a name nothing names again emptied:
    the importer (in ``used``) calls them by name or not at all. Unchanged where the code or its
    importer may reach them otherwise (``_JS_WALKS``, a computed key ``[``), or requires a module
    that could (a local one may call back). The names of those emptied go to ``emptied``."""
    words = _word_counts(_js_code_only(text) + "\n" + used)
    local = [p for p in text.split("require(")[1:] if p.lstrip()[:1] in "'\"`" and p.lstrip()[1:2] == "."]
    if not _JS_WALKS.isdisjoint(set(words) - {"require"}) or local or "[" in _js_code_only(used):
        return text
    if any(mask[i] and c == "[" for i, c in enumerate(text)):
        return text
    # A name in a string reaches nothing without a computed key, eval or a timer (all left out above).
    counts = _word_counts("".join(c if mask[k] else " " for k, c in enumerate(text)) + "\n" + used)
    out, i = [], 0
    for at in [k for k in range(len(text) - 1) if mask[k] and text.startswith("=>", k)]:
        bound = _js_bound_params(text, at, counts)
        if bound is None or at < i:
            continue
        body = at + 2
        while body < len(text) and text[body] in " \t\n":
            body += 1
        end = _js_block_end(text, body) if text[body : body + 1] == "{" else _js_value_end(text, body)
        if end < 0:
            continue
        out.append(text[i:body] + "{}")
        emptied.append(bound)
        i = end + 1
    out.append(text[i:])
    return "".join(out)


def _js_bound_params(text: str, arrow: int, counts: dict[str, int]) -> str | None:
    """The NAME of ``NAME: (...) =>`` / ``NAME = (...) =>`` (``exports.NAME =``) for the arrow
    at ``arrow``, when NAME is named nowhere else."""
    k = arrow - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    if k >= 0 and text[k] == ")":
        k = text.rfind("(", 0, k)
        if k < 0 or ")" in text[k + 1 : arrow - 1].rstrip()[:-1]:
            return None
    else:
        while k >= 0 and (text[k].isalnum() or text[k] in "_$"):
            k -= 1
        k += 1
    start = k
    before = text[:start].rstrip()
    if before.endswith("async"):
        before = before[:-5].rstrip()
    if not before.endswith((":", "=")) or before.endswith(("==", "!=", "<=", ">=", "=>")):
        return None
    head = before[:-1].rstrip()
    name = head[len(head.rstrip("_$" + _ALNUM)) :]
    return name if name and counts.get(name) == 1 else None


def _js_value_end(text: str, at: int) -> int:
    """Where an arrow's expression body ends: before a ``,``, ``;``, ``}`` or ``)`` outside
    brackets and strings; -1 when that is not plain."""
    depth, i = 0, at
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            end = _js_string_end(text, i)
            if end < 0:
                return -1
            i = end + 1
            continue
        if c == "/":
            return -1
        if c in "([{":
            depth += 1
        elif depth == 0 and c in ")]},;\n":
            return i - 1
        elif c in ")]}":
            depth -= 1
        i += 1
    return len(text) - 1


def _js_code_mask(text: str) -> list[bool] | None:
    """Per character, whether it is code (not in a string or comment); None when the text has a
    ``/`` in code (a regular expression may hide quotes and braces) or a template with code."""
    mask = [True] * len(text)
    i = 0
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            end = _js_string_end(text, i)
            if end < 0:
                return None
            mask[i : end + 1] = [False] * (end + 1 - i)
            i = end + 1
            continue
        if text.startswith("//", i) or text.startswith("/*", i):
            end = text.find("\n" if text[i + 1] == "/" else "*/", i + 2)
            end = len(text) if end < 0 else end + (0 if text[i + 1] == "/" else 2)
            mask[i:end] = [False] * (end - i)
            i = end
            continue
        if c == "/":
            return None
        i += 1
    return mask


# Modules of node's own that do not set variables of process.env as they load.
_JS_BUILTINS = frozenset({"child_process", "fs", "os", "path", "util", "assert", "crypto", "url", "events"})


def _js_env_steady(text: str, mask: list[bool]) -> bool:
    """Whether the code leaves ``process.env`` as the process got it: each use of it reads one
    variable (``process.env.NAME``, not assigned, deleted or handed on), and it loads no module
    but node's own (a package or local module may set variables: dotenv)."""
    at = text.find("process.env")
    while at >= 0:
        if mask[at]:
            rest = text[at + len("process.env") :]
            ident = ""
            if rest[:1] == ".":
                ident = rest[1:][: len(rest) - 1 - len(rest[1:].lstrip("_$" + _ALNUM))]
            after = rest[1 + len(ident) :].lstrip()
            assigned = (after[:1] == "=" and after[1:2] != "=") or after[:2] in ("++", "--")
            assigned = assigned or any(after.startswith(op) for op in ("+=", "-=", "||=", "??=", "&&="))
            if not ident or assigned or text[:at].rstrip().endswith("delete"):
                return False
        at = text.find("process.env", at + 1)
    if "import" in _word_counts(_js_code_only(text)):
        return False  # an ES module's imports: not read here
    for piece in text.split("require(")[1:]:
        rest = piece.lstrip()
        name = rest[1:].split(rest[0], 1)[0] if rest[:1] in ("'", '"', "`") else "?"
        if name.removeprefix("node:") not in _JS_BUILTINS:
            return False
    return True


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _js_env_false(condition: str, environ: dict[str, str]) -> bool:
    """Whether ``process.env.NAME`` (``!process.env.NAME``, ``process.env.NAME === "v"``,
    ``!==``) is surely false with the variables ``environ`` gives ("": empty or removed, which
    are both false, and both unequal to any other string)."""
    words = condition.replace("===", " == ").replace("!==", " != ").split()
    negated = bool(words) and words[0].startswith("!")
    if negated:
        words[0] = words[0][1:]
    if not words or not words[0].startswith("process.env."):
        return False
    name = words[0][len("process.env.") :]
    if name not in environ or not name.replace("_", "a").isalnum():
        return False
    value = environ[name]
    if len(words) == 1:
        return bool(value) == negated
    if len(words) != 3 or negated or words[1] not in ("==", "!="):
        return False
    literal = words[2]
    if len(literal) < 3 or literal[0] not in "'\"" or literal[-1] != literal[0] or "\\" in literal:
        return False  # "" is equal to an empty variable, not to a removed one: not decided
    equal = literal[1:-1] == value
    return equal != (words[1] == "==")


def _js_false_ifs(text: str, mask: list[bool], environ: dict[str, str] | None = None) -> str:
    """``if (false) STATEMENT`` without its statement (an ``else`` that follows stays, as a plain
    statement); ``environ``: variables that decide a ``process.env`` test (``_js_env_false``)."""
    out, i = [], 0
    while True:
        at = text.find("if", i)
        if at < 0:
            break
        if not mask[at]:
            out.append(text[i : at + 2])
            i = at + 2
            continue
        k = at + 2
        while k < len(text) and text[k] in " \t":
            k += 1
        close = text.find(")", k)
        before = text[at - 1] if at else " "
        if k >= len(text) or text[k] != "(" or close < 0 or before.isalnum() or before in "_$.":
            out.append(text[i : at + 2])
            i = at + 2
            continue
        condition = text[k + 1 : close].strip()
        if condition not in _JS_FALSE and not (environ and _js_env_false(condition, environ)):
            out.append(text[i : close + 1])
            i = close + 1
            continue
        start = close + 1
        while start < len(text) and text[start] in " \t\n":
            start += 1
        end = _js_block_end(text, start) if text[start : start + 1] == "{" else _js_statement_end(text, start)
        if end < 0:
            out.append(text[i : close + 1])
            i = close + 1
            continue
        out.append(text[i:at] + ";")
        i = end + 1
        rest = text[i:].lstrip()
        if rest.startswith("else") and not (rest[4:5].isalnum() or rest[4:5] in "_$"):
            i = len(text) - len(rest) + 4
    out.append(text[i:])
    return "".join(out)


def _js_code_only(text: str) -> str:
    """The text without JavaScript comments (a name in a comment calls nothing)."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _js_block_end(text: str, at: int) -> int:
    """Where the ``{`` at ``at`` closes, strings, templates and comments skipped; -1 when it
    does not, or a ``/`` that may open a regular expression is inside."""
    depth, i = 0, at
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            end = _js_string_end(text, i)
            if end < 0:
                return -1
            i = end + 1
            continue
        if text.startswith("//", i) or text.startswith("/*", i):
            end = text.find("\n" if text[i + 1] == "/" else "*/", i + 2)
            if end < 0:
                return -1
            i = end + (1 if text[i + 1] == "/" else 2)
            continue
        if c == "/":
            return -1
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _js_statement_end(text: str, at: int) -> int:
    """Where a statement without braces ends: ``;`` or a line's end outside brackets and strings."""
    depth, i = 0, at
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            end = _js_string_end(text, i)
            if end < 0:
                return -1
            i = end + 1
            continue
        if c == "/" or (c == "{" and depth == 0):
            return -1
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return i - 1
        elif c in ";\n" and depth == 0:
            return i
        i += 1
    return len(text) - 1


def _js_string_end(text: str, at: int) -> int:
    quote, i = text[at], at + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        if quote == "`" and text.startswith("${", i):
            return -1  # a template with code in it: not followed
        i += 1
    return -1


# Perl that reaches subs without naming them, or runs code at compile time or at the end.
_PERL_REACH: tuple[str, ...] = ("eval", "&$", "&{", "->", "can(", "AUTOLOAD", "*{", "\\&", "__PACKAGE__", "goto")
_PERL_REACH += ("DESTROY", "BEGIN", "END", "INIT", "CHECK", "UNITCHECK", "import", "%SIG", "$SIG", "main::")


def perl(text: str, used: str = "") -> str:
    """Perl with the bodies of ``sub NAME {...}`` that nothing names again emptied, and what
    follows a top-level ``exit`` taken out (unless a sub is defined there: subs exist before the
    code runs); unchanged where code may reach subs otherwise (``_PERL_REACH``) or its braces
    cannot be told from its quotes (a ``#``, ``/``, ``<<``, ``q``-quote)."""
    if any(r in text or r in used for r in _PERL_REACH) or _perl_brace_ends(text) is None:
        return text
    tokens = text.replace(";", " ; ").replace("{", " { ").replace("}", " } ").split()
    for k, token in enumerate(tokens):
        if token in ("use", "require", "do", "no") and tokens[k + 1 : k + 2] not in (["strict"], ["warnings"]):
            return text  # a module loaded may call back into this code (main::ship)
    counts = _word_counts(text + "\n" + used)
    ends = _perl_brace_ends(text) or {}
    out, i, depth = [], 0, 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            end = _perl_quote_end(text, i)
            out.append(text[i : end + 1])
            i = end + 1
            continue
        words = text[i:].split(None, 2)
        at_word = (not i or not (text[i - 1].isalnum() or text[i - 1] in "_$@%&")) and c.isalpha()
        if at_word and words[0] == "sub" and len(words) > 1:
            name = words[1].split("{", 1)[0]
            open_at = text.find("{", i)
            if name.isidentifier() and counts.get(name) == 1 and open_at in ends:
                out.append(text[i : open_at + 1] + "}")
                i = ends[open_at] + 1
                continue
        if at_word and depth == 0 and text[i:].startswith("exit") and not text[i + 4 : i + 5].isalnum():
            stop = text.find(";", i)
            rest = text[stop + 1 :] if stop >= 0 else ""
            plain = text[i + 4 : stop].replace("(", " ").replace(")", " ").split() if stop >= 0 else ["?"]
            starts = text[:i].rstrip()[-1:] in ("", ";", "}")  # a statement of its own, not `f() or exit`
            if starts and len(plain) <= 1 and all(w.isdigit() for w in plain) and "sub" not in _word_counts(rest):
                out.append(text[i : stop + 1])
                return "".join(out)
        depth += 1 if c == "{" else -1 if c == "}" else 0
        out.append(c)
        i += 1
    return "".join(out)


def _perl_brace_ends(text: str) -> dict[int, int] | None:
    """Where each ``{`` closes, single- and double-quoted strings skipped; None when the text
    holds what may hide a brace or a quote (comments, regular expressions, here-documents,
    ``q``/``qq``/``qw``/``m``/``s``/``tr``/``y`` quotes) or does not balance."""
    if any(c in text for c in "#/") or "<<" in text:
        return None
    words = _word_counts(text)
    if any(w in words for w in ("q", "qq", "qw", "qr", "qx", "m", "s", "tr", "y")):
        return None
    ends: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            end = _perl_quote_end(text, i)
            if end < 0:
                return None
            i = end + 1
            continue
        if c == "{":
            stack.append(i)
        elif c == "}":
            if not stack:
                return None
            ends[stack.pop()] = i
        i += 1
    return ends if not stack else None


def _perl_quote_end(text: str, at: int) -> int:
    quote, i = text[at], at + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return -1


# Tcl that can run a command by a computed name, or later.
_TCL_REACH = frozenset({"eval", "uplevel", "namespace", "interp", "after", "rename", "trace", "info", "apply"})
_TCL_REACH |= {"subst", "source", "vwait", "fileevent", "tailcall", "unknown"}


def tcl(text: str) -> str:
    """Tcl with its comment lines, ``proc``s never named again, and ``if {0} {...}`` (no else)
    taken out; unchanged where a command may be called by a computed name."""
    lines = [line for line in text.split("\n") if not line.lstrip().startswith("#")]
    text = "\n".join(lines)
    counts = _word_counts(text)
    dynamic = not _TCL_REACH.isdisjoint(counts) or any(m in text for m in ("[$", "\n$", ";$", "{$", "{*}"))
    out, i = [], 0
    for start, end, words in _tcl_commands(text):
        first = words[0] if words else ""
        dead = first == "proc" and len(words) == 4 and counts.get(words[1]) == 1 and not dynamic
        dead = dead or (first == "if" and len(words) == 3 and words[1].strip("{} ") in ("0", "false", "no", "off"))
        if dead:
            out.append(text[i:start])
            i = end
    out.append(text[i:])
    return "".join(out)


def _tcl_commands(text: str) -> list[tuple[int, int, list[str]]]:
    """The top-level commands of Tcl text: (start, end, words), a braced word whole; [] when the
    braces or quotes do not balance."""
    found: list[tuple[int, int, list[str]]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\n;":
            i += 1
        start, words = i, []
        while i < n and text[i] not in "\n;":
            if text[i] in " \t":
                i += 1
                continue
            begin = i
            if text[i] in '{["':
                i = _tcl_word_end(text, i)
                if i < 0:
                    return []
            else:
                while i < n and text[i] not in " \t\n;":
                    i += 2 if text[i] == "\\" else 1
            words.append(text[begin:i])
        if words:
            found.append((start, i, words))
    return found


def _tcl_word_end(text: str, at: int) -> int:
    """Where a braced, bracketed or quoted Tcl word starting at ``at`` ends (-1: never)."""
    close = {"{": "}", "[": "]", '"': '"'}[text[at]]
    depth, i = 0, at
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == close and (close != '"' or i > at):
            depth -= 1
            if depth <= 0 or close == '"':
                return i + 1
        elif c == text[at] and close != '"':
            depth += 1
        elif c == "[" and close != "]":
            end = _tcl_word_end(text, i)
            if end < 0:
                return -1
            i = end
            continue
        if i == at:
            depth = 1
        i += 1
    return -1
