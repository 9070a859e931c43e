"""The package's layering: light modules stay light, and no module imports itself round a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nemo_docs_lint"


@pytest.mark.parametrize(
    "module",
    [
        "nemo_docs_lint.cli",
        "nemo_docs_lint.model",
        "nemo_docs_lint.index",
        "nemo_docs_lint.reporters.json",
        "nemo_docs_lint.reporters.sarif",
        "nemo_docs_lint.reporters.console",
        "nemo_docs_lint.reporters.github",
        "nemo_docs_lint.reporters.markdown",
    ],
)
def test_light_modules_import_neither_yaml_nor_the_engine(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "heavy = sorted(m for m in ('yaml', 'jsonschema', 'nemo_docs_lint.engine', "
        "'nemo_docs_lint.frontmatter', 'nemo_docs_lint.markdown') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "", f"importing {module} imported {out.strip()}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _load_time_imports(path: Path, name: str) -> set[str]:
    """Modules of the package that `path` imports when it is loaded (module level, outside
    `if TYPE_CHECKING:`; imports inside functions run later and cannot form a load cycle)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if "TYPE_CHECKING" not in test:
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("nemo_docs_lint"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                if not module.startswith("nemo_docs_lint"):
                    continue
                for alias in node.names:  # `from . import x` may name a submodule
                    candidate = f"{module}.{alias.name}"
                    found.add(candidate if candidate in MODULES else module)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    found.discard(name)
    return found


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_no_import_cycle() -> None:
    graph = {name: _load_time_imports(path, name) for name, path in MODULES.items()}
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []
    cycles: list[list[str]] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for child in sorted(graph.get(node, ())):
            if child not in graph:
                continue
            if state.get(child) == 1:
                cycles.append([*stack[stack.index(child) :], child])
            elif child not in state:
                walk(child)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert cycles == []


CORE = ("engine.py", "filter.py", "context.py", "registry.py", "selection.py", "reporters")


def test_the_core_names_no_rule_family() -> None:
    """Families live in rules/<family>.py; the engine, filter, context and reporters treat them
    all the same (a code or prefix literal in one of them is a family leaking into the core)."""
    import re

    family_literal = re.compile(r"""["'](FM|LNK|TOC|EXT|NDL)[0-9]*["']""")
    leaks = []
    for entry in CORE:
        for path in sorted(
            [PACKAGE / entry] if entry.endswith(".py") else (PACKAGE / entry).glob("*.py")
        ):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if family_literal.search(line):
                    leaks.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert leaks == []


def test_ci_lints_and_type_checks_strictly() -> None:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    root = PACKAGE.parent
    ci = (root / ".ci/run").read_text(encoding="utf-8")
    for step in ("ruff check .", "ruff format --check .", "&& mypy"):
        assert step in ci
    mypy = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy["strict"] is True and mypy["files"] == ["nemo_docs_lint"]


def test_every_type_ignore_says_why() -> None:
    import re

    bare = re.compile(r"# type: ignore(\[[a-z, -]+\])?\s*$")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert found == []
