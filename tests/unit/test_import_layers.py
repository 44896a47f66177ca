"""The package's import layers: a lower layer never imports a higher one, and no module imports
itself back through others. Lazy imports inside functions count; imports under ``if
TYPE_CHECKING:`` name types only and never run, so they do not."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "scripts" / "integration_engineer"

# Low to high. A module may import its own layer and the ones below it.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"runtime"}),
    frozenset({"repository", "bash", "config", "reaper_yml", "__init__"}),
    frozenset({"answer", "task"}),
    frozenset({"git_guard", "isolation", "tool_scope", "sandbox"}),
    frozenset({"finish"}),
    frozenset({"audit", "setup"}),
    frozenset({"events"}),
    frozenset({"cli", "demo"}),
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path, known: dict[str, Path], types: bool = False) -> set[str]:
    """Every module of the package ``path`` imports at run time (at the top or lazily), and with
    ``types`` also those it names only for type checking."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = (
        set()
        if types
        else {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and _is_type_checking(node)
            for child in node.body
            for n in ast.walk(child)
        }
    )
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("integration_engineer"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("integration_engineer"))
    return out


def layer_of(module: str) -> int:
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "__init__"
    for number, names in enumerate(LAYERS):
        if key in names:
            return number
    raise AssertionError(f"{module} belongs to no layer: add its subpackage to LAYERS")


def graph(types: bool = False) -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, known, types) & set(known) for name, path in known.items()}


def test_every_module_has_a_layer() -> None:
    for name in _modules():
        layer_of(name)


def test_no_lower_layer_imports_a_higher_one() -> None:
    wrong = sorted(
        f"{importer} (layer {layer_of(importer)}) imports {imported} (layer {layer_of(imported)})"
        for importer, targets in graph().items()
        for imported in targets
        if layer_of(imported) > layer_of(importer)
    )
    assert wrong == []


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_no_cycles_even_through_type_only_imports() -> None:
    # The parse tree's node classes live in one module (bash/nodes), so the lexer and the parser
    # do not even name each other's types; keep every module that way.
    assert cycles(graph(types=True)) == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_a_lazy_import_counts_and_a_type_only_one_does_not(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n    from integration_engineer.cli import x\n"
        "def f():\n    from integration_engineer.events import dispatch\n",
        encoding="utf-8",
    )
    assert _imports(module, {}) == {"integration_engineer.events"}
    assert _imports(module, {}, types=True) == {"integration_engineer.events", "integration_engineer.cli"}
