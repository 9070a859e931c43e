"""The scanner package's layering: no private names across modules, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "nemo_docs_lint" / "markdown"


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """{module: [(imported sibling module, [names])]} for `from .x import ...` anywhere."""
    graph: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        edges = graph.setdefault(path.stem, [])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [a.name for a in node.names]
                if node.module is None:
                    edges.extend((name, []) for name in names)
                else:
                    edges.append((node.module, names))
    return graph


def test_no_private_names_imported_across_modules() -> None:
    private = [
        f"{mod} imports {name} from {dep}"
        for mod, edges in _imports().items()
        for dep, names in edges
        for name in names
        if name.startswith("_")
    ]
    assert private == []


def test_no_import_cycles() -> None:
    graph = {mod: {dep for dep, _ in edges} for mod, edges in _imports().items()}
    assert set().union(*graph.values()) <= set(graph)
    done: set[str] = set()

    def visit(mod: str, path: tuple[str, ...]) -> None:
        assert mod not in path, " -> ".join((*path, mod))
        if mod in done:
            return
        for dep in sorted(graph[mod]):
            visit(dep, (*path, mod))
        done.add(mod)

    for mod in sorted(graph):
        visit(mod, ())
