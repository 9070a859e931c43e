"""Filter stage: which findings the user sees, at what severity, in what order.

The steps, in order, each one place:

1. report scope: only findings the `ReportScope` includes (the files or folders named);
2. conf.py `suppress_warnings`, when `respect-suppress-warnings` is on (the Sphinx warning types
   each rule mirrors come from the registry);
3. `per-file-ignores`;
4. inline `<!-- nemo-docs-lint: ... -->` suppressions (`suppressions`), then NDL004 for those
   that hid nothing;
5. severity overrides, by the most specific selector (`selection.most_specific`, as `select`);
6. the order (`Diagnostic.sort_key`);
7. the baseline: drop what it lists, count its entries that matched nothing.

`filter_findings` returns a new `Filtered`; nothing is changed in place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Diagnostic, Finding, Page, Severity, slot_builder, sort_diagnostics
from .selection import code_matches, most_specific
from .suppressions import (
    ABOUT_SUPPRESSIONS,
    SUPPRESSION_MARK,
    UNUSED_SUPPRESSION,
    Suppressions,
    has_suppressions,
    parse_suppressions,
    stale,
)

if TYPE_CHECKING:
    from .config import Config
    from .index import DocsIndex
    from .registry import Rule


@dataclass(frozen=True)
class ReportScope:
    """What to report: everything (`paths is None`) or what lies in the named files and folders.

    `includes` decides per finding, `covers` per file (the baseline asks whether a file was
    looked at). A scope that also reports findings *about* the named files (a link into one of
    them) overrides `includes` alone; the filter calls nothing else.
    """

    paths: tuple[str, ...] | None = None  # docs-root-relative, posix

    @classmethod
    def from_paths(cls, paths: Sequence[Path], docs_root: Path) -> ReportScope:
        """The scope of the CLI's PATHS: the docs root itself (or nothing) means everything."""
        if not paths:
            return cls()
        scope = []
        for path in paths:
            absolute = path.absolute()
            try:
                relative = absolute.relative_to(docs_root)
            except ValueError:
                try:
                    relative = absolute.resolve().relative_to(docs_root)
                except ValueError:
                    if docs_root.is_relative_to(absolute.resolve()):
                        return cls()  # a folder above the docs root: all of the tree
                    continue
            if str(relative) == ".":
                return cls()
            scope.append(relative.as_posix())
        return cls(tuple(scope))

    @property
    def everything(self) -> bool:
        return self.paths is None

    def covers(self, path: str) -> bool:
        """Whether the file at docs-root-relative `path` is in scope."""
        if self.paths is None:
            return True
        named, below = self._named
        return path in named or path.startswith(below)

    def covered(self, paths: set[str]) -> set[str]:
        """The paths among `paths` that `covers` (in bulk: 10,000 paths in about a millisecond)."""
        if self.paths is None:
            return set(paths)
        named, below = self._named
        return (paths & named) | {path for path in paths if path.startswith(below)}

    @functools.cached_property
    def _named(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The paths named, and what a path below one of them starts with."""
        paths = self.paths or ()
        return frozenset(paths), tuple(s + "/" for s in paths)

    def includes(self, finding: Finding) -> bool:
        """Whether `finding` is reported."""
        return self.covers(finding.path)


EVERYTHING = ReportScope()
_UNREAD: Any = object()  # a file whose suppressions are not read yet
_DIAGNOSTIC = slot_builder(Diagnostic)


@dataclass(frozen=True)
class Filtered:
    """What the filter stage lets through."""

    diagnostics: list[Diagnostic]
    baseline_known: int = 0  # problems hidden because the baseline lists them
    baseline_fixed: int = 0  # baseline entries that matched no problem


def filter_findings(
    findings: Iterable[tuple[Rule, Finding]],
    config: Config,
    index: DocsIndex,
    scope: ReportScope = EVERYTHING,
    baseline: Path | None = None,
    rules: Sequence[Rule] = (),
) -> Filtered:
    """Apply every filter step to `findings` (see the module's docstring).

    `rules` are the rules that ran: a baseline entry of another rule is not counted as fixed.
    """
    from .globs import matches

    pages_by_path = {page.path: page for page in index.pages.values()}
    tables: dict[str, Suppressions | None] = {}  # None: the file suppresses nothing
    per_file_ignores = config.per_file_ignores
    hidden_by_sphinx = _hidden_by_sphinx(config)
    everything = scope.everything
    includes = scope.includes
    ignored: dict[tuple[str, str], bool] = {}  # per file and rule: per-file-ignores drop it
    severities: dict[str, Severity] = {}
    diagnostics: list[Diagnostic] = []
    append, new_diagnostic = diagnostics.append, _DIAGNOSTIC
    for rule, finding in findings:
        if not everything and not includes(finding):
            continue
        path, code = finding.path, rule.code
        if code in hidden_by_sphinx:
            continue
        if per_file_ignores:
            dropped = ignored.get((path, code))
            if dropped is None:
                dropped = ignored[path, code] = any(
                    matches(path, glob) and code_matches(code, codes)
                    for glob, codes in per_file_ignores
                )
            if dropped:
                continue
        span = finding.span
        table = tables.get(path, _UNREAD)
        if table is _UNREAD:
            page = pages_by_path.get(path)
            table = tables[path] = None if page is None else _suppressions(page)
        if (
            table is not None
            and code not in ABOUT_SUPPRESSIONS
            and table.suppresses(code, span.line)
        ):
            continue
        severity = severities.get(code)
        if severity is None:
            severity = severities[code] = severity_of(config, rule)
        append(
            new_diagnostic(
                code,
                severity,
                path,
                span.line,
                span.column,
                finding.message,
                span.end_line,
                span.end_column,
                finding.fix,
                finding.anchor,
            )
        )
    unused = next((r for r in rules if r.code == UNUSED_SUPPRESSION), None)
    if unused is not None:
        diagnostics += _unused_suppressions(unused, config, index, scope, tables, rules)
    sort_diagnostics(diagnostics)
    if baseline is None:
        return Filtered(diagnostics)
    return _apply_baseline(diagnostics, baseline, config, index, scope, rules)


def severity_of(config: Config, rule: Rule) -> Severity:
    """The rule's severity after `[severity]` overrides: the most specific selector wins."""
    selector = most_specific(config.severity, rule.code)
    return rule.severity if selector is None else config.severity[selector]


def _hidden_by_sphinx(config: Config) -> frozenset[str]:
    if not config.respect_suppress_warnings:
        return frozenset()
    from .sphinx_conf import suppressed_codes

    return frozenset(c for codes in suppressed_codes(config.conf).values() for c in codes)


def _suppressions(page: Page) -> Suppressions | None:
    """The page's inline suppressions; None without any suppression comment (most pages: no
    parsing, and no splitting the text into lines for the last line's number). A text without
    the suppression mark has none: its parse result is not even read (a lazily decoded page
    stays undecoded)."""
    if not page.mentions(SUPPRESSION_MARK):
        return None
    comments = page.body.comments
    if not has_suppressions(comments):
        return None
    from .registry import all_rules

    return parse_suppressions(comments, len(page.lines), all_rules())


def _unused_suppressions(
    unused: Rule,
    config: Config,
    index: DocsIndex,
    scope: ReportScope,
    tables: dict[str, Suppressions | None],
    rules: Sequence[Rule],
) -> list[Diagnostic]:
    """NDL004: suppressions that hid nothing, where every rule they name ran (otherwise whether
    they are needed cannot be told); after the other findings, which marked what was used."""
    from .globs import matches
    from .registry import all_rules

    ran = {rule.code for rule in rules}
    known = list(all_rules())
    severity = severity_of(config, unused)
    found = []
    for page in index.pages.values():
        path = page.path
        if not scope.covers(path) or any(
            matches(path, glob) and code_matches(unused.code, codes)
            for glob, codes in config.per_file_ignores
        ):
            continue
        if path not in tables:
            tables[path] = _suppressions(page)
        table = tables[path]
        if table is None:
            continue
        for directive, message in stale(table, known, ran):
            span = directive.span
            found.append(
                Diagnostic(
                    unused.code,
                    severity,
                    path,
                    span.line,
                    span.column,
                    f"{message}; remove it",
                    span.end_line,
                    span.end_column,
                )
            )
    return found


def _apply_baseline(
    diagnostics: list[Diagnostic],
    path: Path,
    config: Config,
    index: DocsIndex,
    scope: ReportScope,
    rules: Sequence[Rule],
) -> Filtered:
    """Hide the problems the baseline lists; count the entries this run looked for in vain."""
    from . import baseline

    checked = baseline_checker(config, scope, rules)
    outcome = baseline.apply(path, diagnostics, config, index, checked)
    return Filtered(outcome.diagnostics, outcome.known, outcome.fixed)


def baseline_checker(
    config: Config, scope: ReportScope, rules: Sequence[Rule]
) -> Callable[[str, str], bool]:
    """Whether a run looked for a baseline entry's problem: its rule ran and its file (a
    repository-relative path) was in scope."""
    import os

    codes = {rule.code for rule in rules}
    prefix = Path(os.path.relpath(config.docs_root, config.project_root)).as_posix()

    def checked(repo_path: str, code: str) -> bool:
        if prefix != "." and not repo_path.startswith(prefix + "/"):
            return False  # another tree's entry
        docs_path = repo_path if prefix == "." else repo_path.removeprefix(prefix + "/")
        return code in codes and scope.covers(docs_path)

    return checked
