"""Redirects files: sphinx-reredirects dicts (JSON or Python literal) and rediraffe's text file.

`record` adds the moved documents of a move (old docname -> new page) to such a file, keeping its
format and following chains (a redirect to a page that moves now points at the new place).
`from_conf` reads the redirects a conf.py declares as literals, with where each one stands, for
the LNK007/LNK008 rules.
"""

from __future__ import annotations

import ast
import json
import posixpath
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .fileio import read_regular, write_atomic
from .index import URL_SCHEME
from .model import Span


class RedirectsError(ValueError):
    """A redirects file that cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class Redirect:
    """One redirect: where it is written, its source and target, and how to read them."""

    file: Path
    source: str
    target: str
    style: str  # "reredirects" (target: a URL relative to the source) or "rediraffe" (docname)
    source_span: Span
    target_span: Span


def style_of(path: Path) -> str:
    return "rediraffe" if path.suffix.lower() == ".txt" else "reredirects"


def load(path: Path) -> dict[str, str]:
    """The redirects of a file (empty when it does not exist yet)."""
    if not path.exists():
        return {}
    try:
        text = read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RedirectsError(f"cannot read {path}: {exc}") from exc
    if style_of(path) == "rediraffe":
        return {r.source: r.target for r in _rediraffe_lines(path, text)}
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else _literal(text)
    except (ValueError, SyntaxError) as exc:
        raise RedirectsError(f"{path}: not a JSON or Python-literal dict: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise RedirectsError(f"{path}: expected a dict of strings (old docname -> new URL)")
    return data


def record(path: Path, moved: Mapping[str, str]) -> int:
    """Add `old docname -> new docname` moves to the redirects file; returns entries added."""
    style = style_of(path)
    entries = load(path)
    for source, target in list(entries.items()):  # chains: follow the page to its new place
        docname = _target_docname(source, target, style)
        if docname is not None and docname in moved:
            entries[source] = _target_for(source, moved[docname], style)
    added = 0
    for old, new in sorted(moved.items()):
        if old not in entries:
            added += 1
        entries[old] = _target_for(old, new, style)
    entries = {k: v for k, v in entries.items() if _target_docname(k, v, style) != k}
    if style == "rediraffe":
        text = "".join(f"{_quote(k)} {_quote(v)}\n" for k, v in sorted(entries.items()))
    elif path.suffix.lower() == ".json":
        text = json.dumps(dict(sorted(entries.items())), indent=2) + "\n"
    else:
        lines = [f"    {k!r}: {v!r},\n" for k, v in sorted(entries.items())]
        text = "{\n" + "".join(lines) + "}\n"
    write_atomic(path, text)
    return added


def target_docname(redirect: Redirect) -> str | None:
    """The docname a redirect's target names; None for a URL elsewhere or a pattern."""
    return _target_docname(redirect.source, redirect.target, redirect.style)


def _target_for(source: str, new_docname: str, style: str) -> str:
    if style == "rediraffe":
        return new_docname
    return posixpath.relpath(new_docname, posixpath.dirname(source) or ".") + ".html"


def _target_docname(source: str, target: str, style: str) -> str | None:
    if URL_SCHEME.match(target) or target.startswith("//") or "$" in target or "*" in source:
        return None
    path = target.partition("#")[0]
    if style == "rediraffe":
        root, ext = posixpath.splitext(path.lstrip("/"))
        return posixpath.normpath(root if ext in (".md", ".rst") else path.lstrip("/"))
    if path.endswith(".html"):
        path = path[: -len(".html")]
    elif path.endswith("/") or not path:
        path = path + "index"
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), path))


def _quote(path: str) -> str:
    return f'"{path}"' if any(c.isspace() for c in path) else path


def _literal(text: str) -> object:
    tree = ast.parse(text)
    if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr):
        return ast.literal_eval(tree.body[0].value)
    for node in tree.body:  # `redirects = {...}` also does
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            return ast.literal_eval(node.value)
    raise ValueError("no dict literal")


def _rediraffe_lines(path: Path, text: str) -> list[Redirect]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            raise RedirectsError(f"{path}:{number}: {exc}") from exc
        if len(words) != 2:
            raise RedirectsError(f"{path}:{number}: expected two paths, old and new")
        first = line.find(words[0])
        second = line.find(words[1], first + len(words[0]))
        found.append(
            Redirect(
                path,
                words[0],
                words[1],
                "rediraffe",
                Span(number, first + 1, number, first + 1 + len(words[0])),
                Span(number, second + 1, number, second + 1 + len(words[1])),
            )
        )
    return found


def from_conf(conf_path: Path | None, docs_root: Path) -> tuple[list[Redirect], list[str]]:
    """Literal `redirects` / `rediraffe_redirects` of a conf.py, positioned; and notes."""
    if conf_path is None:
        return [], []
    try:
        tree = ast.parse(read_regular(conf_path), filename=str(conf_path))
    except (OSError, SyntaxError, ValueError):
        return [], []
    found: list[Redirect] = []
    notes: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        name = node.targets[0]
        if not isinstance(name, ast.Name) or name.id not in ("redirects", "rediraffe_redirects"):
            continue
        style = "reredirects" if name.id == "redirects" else "rediraffe"
        value = node.value
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and isinstance(item, ast.Constant)
                    and isinstance(item.value, str)
                ):
                    found.append(
                        Redirect(conf_path, key.value, item.value, style, _span(key), _span(item))
                    )
        elif style == "rediraffe" and isinstance(value, ast.Constant):
            if isinstance(value.value, str):
                file = conf_path.parent / value.value
                try:
                    found.extend(_rediraffe_lines(file, read_regular(file).decode("utf-8-sig")))
                except (OSError, UnicodeDecodeError, RedirectsError) as exc:
                    notes.append(f"rediraffe_redirects: {exc}")
        else:
            notes.append(f"{conf_path.name}:{node.lineno}: `{name.id}` is not a literal; ignored")
    return found, notes


def _span(node: ast.expr) -> Span:
    """The span of a one-line string literal, quotes excluded (ast columns are UTF-8 bytes)."""
    line = node.lineno
    end_line = node.end_lineno or line
    start = node.col_offset + 2
    end = (node.end_col_offset or node.col_offset) if end_line == line else start
    return Span(line, start, end_line, max(end, start + 1))
