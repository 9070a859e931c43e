"""Which findings are *about* given paths: a reference or toctree entry that names one of them.

File mode (`nemo-docs-lint docs/a.md`, pre-commit) reports, besides the named files' own
findings, every finding elsewhere whose reference targets a named file or a path the change
removed (deleted, or renamed away). The target is read from the reference text alone (the
path may no longer exist): relative to the page, `/` from the docs root, with or without a
source suffix or `.html`, or the docname of a `{doc}`, card or toctree entry.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .filter import ReportScope
from .index import URL_SCHEME, DocsIndex, join_docname
from .model import Finding, Page, RefKind, Span

if TYPE_CHECKING:
    from .changes import ChangeSet
    from .config import Config
    from .registry import Rule

_SOURCE_SUFFIXES = (".md", ".rst")
_GLOB = "\0glob:"  # marks a toctree glob pattern among the paths a reference names
_NOT_PATHS = frozenset({RefKind.REF_ROLE, RefKind.AUTOLINK})
TargetTable = dict[tuple[int, int], frozenset[str]]  # span start -> paths a reference names


@dataclass(frozen=True)
class ChangeScope(ReportScope):
    """The named files, plus the findings elsewhere about them or about what the change removed
    (`about`: the ids of those findings)."""

    about: frozenset[int] = frozenset()

    def includes(self, finding: Finding) -> bool:
        return self.covers(finding.path) or id(finding) in self.about


@dataclass(frozen=True)
class ChangeTarget:
    """What a restricted run reports on: the `paths` named (or, with `--changed` alone, what git
    shows changed), and the change set git shows."""

    paths: tuple[str, ...]
    changes: ChangeSet

    @property
    def wanted(self) -> frozenset[str]:
        """The paths whose referring findings elsewhere are reported: named or removed."""
        return frozenset(self.paths) | self.changes.gone


def change_target(
    scope: ReportScope, config: Config, changed: bool = False, changes: ChangeSet | None = None
) -> ChangeTarget | None:
    """The target of a restricted scope (None: the whole tree is reported), asking git (once)
    what was deleted or renamed away, unless `changes` holds that already.

    `changed` (`--changed`) with nothing named: what git shows changed is named."""
    if scope.paths is None and not changed:
        return None
    if changes is None:
        from .changes import read_changes

        changes = read_changes(config.docs_root, config.repo_root, scope.paths or ())
    paths = scope.paths
    if paths is None:
        paths = tuple(sorted({*changes.touched, *(new for _, new in changes.renamed)}))
    return ChangeTarget(paths, changes)


def follow_change(
    scope: ReportScope,
    target: ChangeTarget | None,
    findings: list[tuple[Rule, Finding]],
    index: DocsIndex,
    tables: Mapping[str, TargetTable] | None = None,
) -> tuple[ReportScope, list[str], list[str]]:
    """Report-scope step: a restricted scope (`target`, see `change_target`) also reports the
    findings about the named paths and about what git shows deleted or renamed away. Returns
    the scope, the notes (what git showed; `--verbose`) and hints (what `--fix` can do; always
    said). `tables`: `target_table`s already worked out, by path (for at least the span starts
    of that path's findings).
    """
    if target is None:
        return scope, [], []
    paths, changes = target.paths, target.changes
    restricted = ReportScope(paths)
    covers = restricted.covers
    outside = [finding for _, finding in findings if not covers(finding.path)]
    about = findings_about(outside, index, target.wanted, tables)
    hint = _rename_hint(outside, index, changes) if about and changes.renamed else None
    return ChangeScope(paths, frozenset(about)), list(changes.notes), [hint] if hint else []


def _rename_hint(outside: list[Finding], index: DocsIndex, changes: ChangeSet) -> str | None:
    """`3 problems refer to files git shows renamed (a.md -> b/a.md); ... --fix rewrites them`."""
    renamed = findings_about(outside, index, {old for old, _ in changes.renamed})
    if not renamed:
        return None
    shown = ", ".join(f"{old} -> {new}" for old, new in changes.renamed[:3])
    more = f" and {len(changes.renamed) - 3} more" if len(changes.renamed) > 3 else ""
    count = len(renamed)
    return (
        f"{count} problem{'s' if count != 1 else ''} refer{'s' if count == 1 else ''} to files "
        f"git shows renamed ({shown}{more}); `nemo-docs-lint --fix` on the docs tree rewrites "
        f"{'them' if count != 1 else 'it'}"
    )


def findings_about(
    findings: Iterable[Finding],
    index: DocsIndex,
    paths: Iterable[str],
    tables: Mapping[str, TargetTable] | None = None,
) -> set[int]:
    """ids of the findings whose reference names one of `paths` (files or folders); `tables`
    as for `follow_change`."""
    wanted = wanted_paths(paths)
    if not wanted:
        return set()
    pages = index.by_path
    findings = list(findings)
    targets = dict(tables or {})
    unknown = (f for f in findings if f.path not in targets and f.path in pages)
    for path, starts in span_starts(unknown).items():
        targets[path] = target_table(pages[path], starts)
    verdicts: dict[frozenset[str], bool] = {}  # many references name the same paths
    about = set()
    for finding in findings:
        table = targets.get(finding.path)
        named = table.get(_key(finding.span)) if table else None
        if not named:
            continue
        verdict = verdicts.get(named)
        if verdict is None:
            verdict = verdicts[named] = names_any(wanted, named)
        if verdict:
            about.add(id(finding))
    return about


def _key(span: Span) -> tuple[int, int]:
    return span.line, span.column


def wanted_paths(paths: Iterable[str]) -> frozenset[str]:
    """The paths that findings are looked for about, as `names_any` compares them."""
    return frozenset(p.strip("/") for p in paths if p)


def names_about(wanted: frozenset[str], names: Iterable[str]) -> frozenset[str]:
    """The names among `names` that are about one of `wanted` (as `names_any` decides)."""
    near = (*_folders(wanted), _GLOB)
    return frozenset(
        name
        for name in names
        if (name in wanted or name.startswith(near)) and _covers(wanted, name)
    )


def names_any(wanted: frozenset[str], names: Iterable[str]) -> bool:
    """Whether a reference naming `names` is about one of `wanted` (files or folders, as
    `wanted_paths` gives them)."""
    return any(_covers(wanted, path) for path in names)


def _covers(wanted: frozenset[str], path: str) -> bool:
    if path in wanted:
        return True
    if path.startswith(_GLOB):  # a toctree glob: about every document it would match
        from .globs import compile_pattern

        try:
            regex = compile_pattern(path[len(_GLOB) :], sphinx=True)
        except (ValueError, re.error):
            return False  # not a valid glob: TOC001 says so; it is about nothing
        return any(regex.match(posixpath.splitext(p)[0]) for p in wanted)
    if not path.startswith(_folders(wanted)):  # no wanted folder above it (most paths)
        return False
    folder, above = path, posixpath.dirname(path)
    while above and above != folder:  # up to the top ("" or "/", which is its own dirname)
        if above in wanted:
            return True
        folder, above = above, posixpath.dirname(above)
    return False


@functools.lru_cache(maxsize=8)
def _folders(wanted: frozenset[str]) -> tuple[str, ...]:
    """What a path below one of `wanted` starts with: each one and `/` (a folder of a path,
    as `posixpath.dirname` gives it, is a beginning of it followed by `/`)."""
    return tuple(path + "/" for path in wanted)


def span_starts(findings: Iterable[Finding]) -> dict[str, set[tuple[int, int]]]:
    """Path -> where its findings start (what `target_table` is asked about)."""
    found: dict[str, set[tuple[int, int]]] = {}
    for finding in findings:
        found.setdefault(finding.path, set()).add(_key(finding.span))
    return found


def target_table(page: Page, starts: Set[tuple[int, int]]) -> TargetTable:
    """Span start -> the docs-root paths a reference (or toctree entry) there may name, for the
    span starts in `starts` (where findings are: the others' paths are not worked out)."""
    table: TargetTable = {}
    for ref in page.body.references:
        key = _key(ref.span)
        if ref.kind in _NOT_PATHS or key not in starts:
            continue
        names = _reference_paths(page, ref.kind, ref.target.strip(), ref.link_type)
        if names:
            table[key] = names
    for toctree in page.body.toctrees:
        for entry in toctree.entries:
            target = entry.target
            key = _key(entry.span)
            if key not in starts or target == "self" or URL_SCHEME.match(target):
                continue
            if toctree.glob and any(c in target for c in "*?["):
                table[key] = frozenset({_GLOB + join_docname(page.docname, target)})
                continue
            for suffix in (*_SOURCE_SUFFIXES, ".txt"):
                target = target.removesuffix(suffix)
            table[key] = _doc_paths(join_docname(page.docname, target))
    return table


def _reference_paths(
    page: Page, kind: RefKind, target: str, link_type: str | None
) -> frozenset[str]:
    if kind is RefKind.DOC_ROLE or (
        kind is RefKind.CARD_LINK and (link_type or "").lower() in ("doc", "any")
    ):
        return _doc_paths(join_docname(page.docname, target.partition("#")[0]))
    scheme = URL_SCHEME.match(target)
    if scheme:
        name = scheme.group(0).lower()
        if name not in ("project:", "path:"):
            return frozenset()
        target = target[len(name) :]
    if target.startswith("//"):
        return frozenset()
    path = unquote(target.partition("#")[0].partition("?")[0])
    if not path:
        return frozenset()
    if path.startswith("/"):
        rel = posixpath.normpath(path.lstrip("/")) if path.strip("/") else "."
    else:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), path))
    found = {rel}
    root, suffix = posixpath.splitext(rel)
    if suffix == ".html":
        found |= _doc_paths(root)
    elif not suffix:
        found |= _doc_paths(rel) | _doc_paths(join_docname(page.docname, path))
    return frozenset(found)


def _doc_paths(docname: str) -> frozenset[str]:
    return frozenset(docname + suffix for suffix in _SOURCE_SUFFIXES)
