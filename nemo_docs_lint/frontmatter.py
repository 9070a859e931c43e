"""Split the YAML frontmatter block off a page and load it with the position of every key and item.

The block is `---` on the first line up to the next `---` line. YAML is loaded with PyYAML's safe
C loader (pure-Python fallback), with implicit timestamps dropped so that `date: 2024-01-02` stays
a string a JSON Schema can check. The node tree gives positions; the data is built from the same
nodes, so the text is parsed once.
"""

from __future__ import annotations

from typing import Any

import yaml

from .frontmatter_block import split_frontmatter
from .model import Frontmatter, FrontmatterError, Position, Span

Path_ = tuple[Any, ...]  # a path into the data: ("personas", 1)
__all__ = ["Frontmatter", "FrontmatterError", "Position", "parse_frontmatter"]

MAX_EXPANDED_NODES = 10_000  # aliases may not blow a few lines up beyond this ("billion laughs")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]  # CSafeLoader or SafeLoader
    """Safe loader without the implicit timestamp resolver."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_frontmatter(text: str) -> Frontmatter:
    """Find and load the frontmatter of a page whose text is already LF-normalised."""
    try:
        yaml_text, end_line = split_frontmatter(text)
    except ValueError as exc:
        return Frontmatter(present=True, error=FrontmatterError(str(exc), 1, 1), end_line=0)
    if yaml_text is None:
        return Frontmatter()
    lines = yaml_text.split("\n")
    try:
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            positions: dict[Path_, Position] = {}
            if node is not None:
                _check_and_locate(node, (), positions, lines)
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            where = exc.context_mark
            started = (
                f" (started at line {where.line + 2}, column {where.column + 1})" if where else ""
            )
            problem = f"{exc.problem} {exc.context}{started}"
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            # An unclosed quote runs to the end of the block: point where it opened.
            mark = exc.context_mark
            opened = (exc.context or "").removeprefix("while scanning ")
            problem = f"{opened} opened here is never closed"
        line, column = (mark.line + 2, mark.column + 1) if mark else (1, 1)
        if 0 <= line - 2 < len(lines) and lines[line - 2][column - 1 : column] == "\t":
            problem = "a tab character indents this line; YAML allows only spaces"
        return Frontmatter(
            present=True,
            error=FrontmatterError(f"invalid YAML: {problem}", line, column),
            end_line=end_line,
        )
    except _FrontmatterProblem as exc:
        return Frontmatter(present=True, error=exc.error, end_line=end_line)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        return Frontmatter(
            present=True, error=FrontmatterError(f"invalid YAML: {exc}", 1, 1), end_line=end_line
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        from .schema import _yaml_type_of

        kind = _yaml_type_of(data)
        return Frontmatter(
            present=True,
            error=FrontmatterError(f"frontmatter must be a mapping of keys, not {kind}", 2, 1),
            end_line=end_line,
        )
    return Frontmatter(present=True, data=data, positions=positions, end_line=end_line)


class _FrontmatterProblem(Exception):
    def __init__(self, error: FrontmatterError) -> None:
        super().__init__(error.message)
        self.error = error


def _span(node: yaml.Node, lines: list[str]) -> Span:
    """A node's span in file coordinates (YAML line 0 is file line 2)."""
    start, end = node.start_mark, node.end_mark
    end_line, end_column = end.line, end.column
    if end_column == 0 and end_line > start.line:  # block collections end at the next line
        end_line -= 1
        end_column = len(lines[end_line]) if end_line < len(lines) else 0
    return Span(start.line + 2, start.column + 1, end_line + 2, end_column + 1)


def _check_and_locate(
    root: yaml.Node, path: Path_, positions: dict[Path_, Position], lines: list[str]
) -> None:
    """Record positions, reject duplicate keys and alias bombs, in time linear in the text."""
    sizes: dict[int, int] = {}

    def expanded_size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # guards recursive aliases
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(expanded_size(k) + expanded_size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(expanded_size(item) for item in node.value)
        sizes[id(node)] = total
        return total

    if expanded_size(root) > MAX_EXPANDED_NODES:
        raise _FrontmatterProblem(
            FrontmatterError(
                f"frontmatter expands to more than {MAX_EXPANDED_NODES:,} YAML nodes through "
                "aliases; refusing to load it",
                root.start_mark.line + 2,
                root.start_mark.column + 1,
            )
        )
    _locate(root, path, positions, lines, set())


def _locate(
    node: yaml.Node,
    path: Path_,
    positions: dict[Path_, Position],
    lines: list[str],
    visiting: set[int],
) -> None:
    if id(node) in visiting:  # an alias of an enclosing node: positions are already known
        return
    visiting = visiting | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                continue
            if key in seen:
                raise _FrontmatterProblem(
                    FrontmatterError(
                        f"duplicate key {key!r} (first defined on line {seen[key]})",
                        key_node.start_mark.line + 2,
                        key_node.start_mark.column + 1,
                    )
                )
            seen[key] = key_node.start_mark.line + 2
            child = (*path, key)
            positions[child] = Position(_span(key_node, lines), _span(value_node, lines))
            _locate(value_node, child, positions, lines, visiting)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            positions[child] = Position(None, _span(item, lines))
            _locate(item, child, positions, lines, visiting)
