"""Completion candidates at a position: link targets, anchors, labels, documents, frontmatter.

Paths are offered one folder at a time, relative to the page as authors write them (`../`,
`guide/`, `setup.md`); toctree entries and `{doc}` roles get docnames without suffix. Nothing
here knows about LSP: the language server turns `Candidate`s into completion items.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fileio import read_regular
from .index import DocsIndex, join_docname
from .model import Page

_LINK = re.compile(r"\]\(([^)\s]*)$")
_ROLE = re.compile(r"\{(ref|doc)\}`(?:[^`<]*<)?([^`>]*)$")
_FENCE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{toctree\}")


@dataclass(frozen=True)
class Candidate:
    label: str  # what is inserted
    kind: str  # "file" | "folder" | "document" | "anchor" | "label" | "key" | "value"
    start: int  # 1-based column where the replaced text starts (the cursor ends it)
    detail: str = ""
    documentation: str = ""


def complete(
    index: DocsIndex, page: Page, line: int, column: int, schema: Path | None
) -> list[Candidate]:
    """Candidates for the text before (line, column) of `page` (1-based)."""
    lines = page.lines
    if not 0 < line <= len(lines):
        return []
    before = lines[line - 1][: column - 1]
    end = page.frontmatter.body_start_line if page.frontmatter.present else 0
    if page.is_markdown and page.frontmatter.present and 1 < line < end - 1:
        return _frontmatter(lines, line, before, schema)
    match = _ROLE.search(before)
    if match:
        start = column - len(match.group(2))
        if match.group(1) == "ref":
            return _labels(index, start)
        return _paths(index, page, match.group(2), start, documents=True)
    match = _LINK.search(before)
    if match:
        typed = match.group(1)
        start = column - len(typed)
        if "#" in typed:
            path = typed.partition("#")[0]
            return _anchors(index, page, path, start + len(path) + 1)
        return _paths(index, page, typed, start, documents=False)
    if _in_toctree(lines, line) and not before.lstrip().startswith(":"):
        typed = before.split("<")[-1].lstrip() if "<" in before else before.lstrip()
        return _paths(index, page, typed, column - len(typed), documents=True)
    return []


def _in_toctree(lines: list[str], line: int) -> bool:
    """Whether a line lies inside a toctree fence (its opening fence above, not yet closed)."""
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        match = _FENCE.match(text)
        if match:
            return True
        stripped = text.strip()
        if stripped and stripped[0] in "`:" and stripped.strip("`:") == "":
            return False  # a closing fence
    return False


def _paths(
    index: DocsIndex, page: Page, typed: str, start: int, documents: bool
) -> list[Candidate]:
    """The entries of the folder `typed` names so far, relative to the page (or `/`)."""
    folder_part = typed.rpartition("/")[0] + "/" if "/" in typed else ""
    base = posixpath.dirname(page.path)
    if folder_part.startswith("/"):
        folder = posixpath.normpath(folder_part.strip("/")) if folder_part.strip("/") else ""
    else:
        folder = posixpath.normpath(posixpath.join(base, folder_part)) if folder_part else base
    folder = "" if folder == "." else folder
    if folder.startswith(".."):
        return []
    prefix = folder + "/" if folder else ""
    found: dict[str, Candidate] = {}
    column = start + len(folder_part)
    climbing = folder_part in ("", "./", "../") or folder_part.endswith("/../")
    if climbing and base and not folder_part.startswith("/"):
        found["../"] = Candidate("../", "folder", column)
    doc_by_path = {p.path: p for p in index.pages.values()}
    for path in index.files:
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix) :]
        if "/" in rest:
            name = rest.split("/", 1)[0] + "/"
            found.setdefault(name, Candidate(name, "folder", column))
            continue
        target = doc_by_path.get(path)
        if documents:
            if target is None:
                continue
            name = posixpath.splitext(rest)[0]
        else:
            name = rest
        if target is not None:
            title = target.body.title or ""
            described = target.metadata.get("description")
            found[name] = Candidate(
                name,
                "document",
                column,
                title,
                described if isinstance(described, str) else "",
            )
        else:
            found[name] = Candidate(name, "file", column)
    return [found[name] for name in sorted(found)]


def _anchors(index: DocsIndex, page: Page, path: str, start: int) -> list[Candidate]:
    """Heading anchors of the linked page (and, within the page, its labels too)."""
    if path:
        relpath = posixpath.normpath(
            path.lstrip("/") if path.startswith("/") else posixpath.join(page.docname, "..", path)
        )
        docname = relpath
        for suffix in (".md", ".html", ".rst"):
            if relpath.endswith(suffix):
                docname = relpath[: -len(suffix)]
        target = index.pages.get(docname) or index.pages.get(join_docname(page.docname, path))
        if target is None:
            return []
    else:
        target = page
    found = [Candidate(h.slug, "anchor", start, h.text) for h in target.body.headings if h.slug]
    if not path:
        found += [Candidate(label.name, "label", start) for label in page.body.labels]
    return found


def _labels(index: DocsIndex, start: int) -> list[Candidate]:
    found = []
    for sites in index.labels.values():
        site = sites[0]
        title = index.pages[site.docname].body.title or ""
        found.append(Candidate(site.label.name, "label", start, f"{site.path}: {title}".strip()))
    return sorted(found, key=lambda c: c.label)


def _frontmatter(lines: list[str], line: int, before: str, schema: Path | None) -> list[Candidate]:
    properties = _schema_properties(schema)
    stripped = before.lstrip()
    if ":" not in before and not stripped.startswith("-") and before == stripped:
        return [
            Candidate(key, "key", 1, _kind(spec), str(spec.get("description", "")))
            for key, spec in properties.items()
        ]
    key = before.split(":", 1)[0].strip() if ":" in before else None
    if key is None or before.startswith((" ", "-")):
        for number in range(line - 1, 1, -1):  # a list item: the key above it
            text = lines[number - 1]
            if text and not text.startswith((" ", "-")):
                key = text.split(":", 1)[0].strip()
                break
    spec = properties.get(key or "", {})
    values = spec.get("enum") or spec.get("items", {}).get("enum") or []
    typed = re.split(r"[\s\[,:\"'-]", before)[-1]
    start = len(before) - len(typed) + 1
    return [Candidate(str(v), "value", start, key or "") for v in values]


def _kind(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    return str(spec.get("type", ""))


def _schema_properties(schema: Path | None) -> dict[str, dict[str, Any]]:
    if schema is None:
        return {}
    try:
        data = json.loads(read_regular(schema).decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):  # a pipe is refused, never waited on
        return {}
    properties = data.get("properties", {}) if isinstance(data, dict) else {}
    return {k: v for k, v in properties.items() if isinstance(v, dict)}
