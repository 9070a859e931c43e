"""The dashboard's numbers: pure functions from a LintResult and review groups to a data model.

Nothing here reads files or renders anything; HTML, JSON and Markdown all show this model.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Diagnostic, LintResult, Severity
from ..reporters.base import quote_path as quote
from .groups import PRIORITIES, UNGROUPED, Assignment, GroupSpec, assign

METADATA_KEYS = ("difficulty", "content_type", "personas", "modality")
BROKEN_LINK_CODES = ("LNK001", "LNK002", "LNK003", "LNK004")
ORPHAN_CODE = "TOC002"
STATUS_LABELS = {
    "ready": "ready",
    "needs-work": "needs work",
    "blocked": "blocked by errors",
    "empty": "no files",
}


@dataclass(frozen=True)
class Problem:
    """One diagnostic as the dashboard shows it."""

    code: str
    severity: str
    line: int
    column: int
    message: str
    known: bool = False  # recorded in the baseline


@dataclass(frozen=True)
class FileRow:
    """One file of a group with its problems."""

    path: str
    href: str  # relative to the output folder
    repo_href: str | None
    title: str | None
    description: str | None
    problems: tuple[Problem, ...]
    groups: tuple[str, ...]  # every group the file is in (more than one is flagged)

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def status(self) -> str:
        return _status(self.count("error"), self.count("warning"), 1)


@dataclass(frozen=True)
class Distribution:
    """How often each value of one metadata key occurs, and which pages lack the key."""

    key: str
    counts: tuple[tuple[str, int], ...]  # most frequent first
    missing: tuple[str, ...]


@dataclass(frozen=True)
class GroupStats:
    """Everything the dashboard says about one group (or the whole tree)."""

    name: str
    priority: str | None
    reviewers: tuple[str, ...]
    url: str | None
    files: tuple[FileRow, ...]
    files_clean: int
    errors: int
    warnings: int
    notes: int
    metadata_pages: int  # pages the frontmatter rules check
    metadata_valid: int  # ... of which carry no FM problem
    broken_links: int
    orphans: int
    new: int
    known: int
    metadata: tuple[Distribution, ...]
    codes: tuple[tuple[str, int], ...] = ()  # problems per code, most frequent first
    unmatched: tuple[str, ...] = ()  # entries of the groups file that match no file

    @property
    def problems(self) -> int:
        return self.errors + self.warnings + self.notes

    @property
    def completeness(self) -> float | None:
        """Share of checked pages whose frontmatter is fully valid (None: nothing checked)."""
        return self.metadata_valid / self.metadata_pages if self.metadata_pages else None

    @property
    def status(self) -> str:
        return _status(self.errors, self.warnings, len(self.files))


@dataclass(frozen=True)
class Dashboard:
    """The whole dashboard: groups sorted by priority, the tree's totals, grouping problems."""

    title: str
    groups: tuple[GroupStats, ...]
    total: GroupStats
    overlaps: tuple[tuple[str, tuple[str, ...]], ...]  # (path, group names)
    unmatched: tuple[tuple[str, str], ...]  # (group name, entry)
    baseline: bool  # the run used a baseline: show new vs known
    baseline_fixed: int  # baseline entries that matched no problem any more
    frontmatter_checked: bool  # FM rules ran, so completeness means something


def _status(errors: int, warnings: int, files: int) -> str:
    if not files:
        return "empty"
    if errors:
        return "blocked"
    return "needs-work" if warnings else "ready"


def tree_files(result: LintResult, known: Sequence[Diagnostic] = ()) -> list[str]:
    """Every file the dashboard places in groups: documents, unreadable and shadowed sources,
    and any other file a diagnostic points at."""
    index = result.index
    paths = {page.path for page in index.pages.values()}
    paths.update(path for path, _ in index.unreadable)
    paths.update(ignored for ignored, _ in index.duplicate_sources)
    paths.update(d.path for d in result.diagnostics)
    paths.update(d.path for d in known)
    return sorted(paths)


def build_dashboard(
    result: LintResult,
    groups: list[GroupSpec],
    *,
    known: Sequence[Diagnostic] | None = None,
    baseline_fixed: int = 0,
    output_dir: Path | None = None,
    repo_url: str | None = None,
    title: str | None = None,
) -> Dashboard:
    """Compute every number of the dashboard.

    `known` are the problems a baseline hid (None: the run used no baseline); they count as
    problems of their files and groups, and are shown apart from the new ones.
    """
    assignment = assign(tree_files(result, known or ()), groups)
    rows = _file_rows(result, known or (), assignment, output_dir, repo_url)
    checked = _metadata_pages(result)
    specs = {g.name: g for g in groups}
    stats = []
    for name, paths in assignment.files.items():
        spec = specs.get(name)
        unmatched = tuple(e for g, e in assignment.unmatched if g == name)
        stats.append(_group_stats(name, spec, [rows[p] for p in paths], checked, result, unmatched))
    order = {p: i for i, p in enumerate(PRIORITIES)}
    position = {g.name: i for i, g in enumerate(groups)}
    stats.sort(
        key=lambda s: (
            s.name == UNGROUPED,
            order.get(s.priority or "", len(order)),
            position.get(s.name, 0),
        )
    )
    total = _group_stats("All files", None, list(rows.values()), checked, result, ())
    fm_ran = any(rule.code.startswith("FM") for rule in result.rules)
    return Dashboard(
        title=title or f"Docs review: {_tree_name(result.config.docs_root)}",
        groups=tuple(stats),
        total=total,
        overlaps=tuple(sorted(assignment.overlaps.items())),
        unmatched=assignment.unmatched,
        baseline=known is not None,
        baseline_fixed=baseline_fixed,
        frontmatter_checked=fm_ran,
    )


def _tree_name(docs_root: Path) -> str:
    """`project/docs` for the usual docs folder names, else the folder's own name."""
    if docs_root.name in ("docs", "doc", "source", "documentation") and docs_root.parent.name:
        return f"{docs_root.parent.name}/{docs_root.name}"
    return docs_root.name


def _metadata_pages(result: LintResult) -> dict[str, dict[str, Any]]:
    """path -> frontmatter mapping of the pages the frontmatter rules check."""
    config = result.config
    return {
        page.path: page.metadata
        for page in result.index.pages.values()
        if page.is_markdown and config.schema_for(page.path) is not None
    }


def _file_rows(
    result: LintResult,
    known_diagnostics: Sequence[Diagnostic],
    assignment: Assignment,
    output_dir: Path | None,
    repo_url: str | None,
) -> dict[str, FileRow]:
    by_path: dict[str, list[Problem]] = {}
    for diagnostics, known in ((result.diagnostics, False), (known_diagnostics, True)):
        for d in diagnostics:
            by_path.setdefault(d.path, []).append(
                Problem(d.code, d.severity.value, d.line, d.column, d.message, known)
            )
    owners: dict[str, list[str]] = {}
    for name, paths in assignment.files.items():
        for path in paths:
            owners.setdefault(path, []).append(name)
    pages = {page.path: page for page in result.index.pages.values()}
    config = result.config
    rows = {}
    for path in sorted(owners):
        page = pages.get(path)
        meta = page.metadata if page else {}
        title = meta.get("title") if isinstance(meta.get("title"), str) else None
        if title is None and page is not None:
            title = page.body.title
        description = meta.get("description")
        problems = sorted(by_path.get(path, ()), key=lambda p: (p.line, p.column, p.code))
        rows[path] = FileRow(
            path=path,
            href=_href(config.docs_root / path, output_dir),
            repo_href=_repo_href(config.docs_root / path, config.project_root, repo_url),
            title=title,
            description=description if isinstance(description, str) else None,
            problems=tuple(problems),
            groups=tuple(owners[path]),
        )
    return rows


def _href(absolute: Path, output_dir: Path | None) -> str:
    if output_dir is None:
        return quote(absolute.as_posix())
    return quote(Path(os.path.relpath(absolute, output_dir.absolute())).as_posix())


def _repo_href(absolute: Path, project_root: Path, repo_url: str | None) -> str | None:
    if not repo_url:
        return None
    try:
        relative = absolute.relative_to(project_root).as_posix()
    except ValueError:
        relative = Path(os.path.relpath(absolute, project_root)).as_posix()
    return f"{repo_url.rstrip('/')}/{quote(relative)}"


def _group_stats(
    name: str,
    spec: GroupSpec | None,
    rows: Sequence[FileRow],
    checked: dict[str, dict[str, Any]],
    result: LintResult,
    unmatched: tuple[str, ...],
) -> GroupStats:
    problems = [p for row in rows for p in row.problems]
    severity = Counter(p.severity for p in problems)
    codes = Counter(p.code for p in problems)
    fm_bad = {row.path for row in rows for p in row.problems if p.code.startswith("FM")}
    pages = [row.path for row in rows if row.path in checked]
    return GroupStats(
        name=name,
        priority=spec.priority if spec else None,
        reviewers=spec.reviewers if spec else (),
        url=spec.url if spec else None,
        files=tuple(rows),
        files_clean=sum(1 for row in rows if not row.problems),
        errors=severity[Severity.ERROR.value],
        warnings=severity[Severity.WARNING.value],
        notes=severity[Severity.NOTE.value],
        metadata_pages=len(pages),
        metadata_valid=sum(1 for p in pages if p not in fm_bad),
        broken_links=sum(codes[c] for c in BROKEN_LINK_CODES),
        orphans=codes[ORPHAN_CODE],
        new=sum(1 for p in problems if not p.known),
        known=sum(1 for p in problems if p.known),
        metadata=distributions([checked[p] for p in pages], pages),
        codes=tuple(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))),
        unmatched=unmatched,
    )


def distributions(
    metadata: Sequence[dict[str, Any]], paths: Sequence[str]
) -> tuple[Distribution, ...]:
    """Value counts of each metadata key over the given pages, and the pages missing it."""
    result = []
    for key in METADATA_KEYS:
        counts: Counter[str] = Counter()
        missing = []
        for path, meta in zip(paths, metadata, strict=True):
            values = list(_values(meta.get(key)))
            if not values:
                missing.append(path)
            counts.update(values)
        ordered = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        result.append(Distribution(key, ordered, tuple(missing)))
    return tuple(result)


def _values(value: object) -> Iterable[str]:
    if value is None or value == "":
        return
    items = value if isinstance(value, list) else [value]
    for item in items:
        if item is not None and item != "":
            yield item if isinstance(item, str) else str(item)
