"""The dashboard's numbers on the fixture tree (tests/fixtures/dashboard), whose problems are known.

Tree: index.md, setup/{install,xss}.md, guide/{index,a,b,shared}.md, notes/loose.md.
Known problems: guide/a.md FM003 + LNK001; guide/b.md FM004 + LNK002; guide/shared.md TOC002 +
TOC005 (and it is in both groups); notes/loose.md FM001 + TOC002 (and in no group). The group
`Guide` lists `legacy/**`, which matches nothing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from nemo_docs_lint.dashboard.groups import UNGROUPED, GroupSpec
from nemo_docs_lint.dashboard.numbers import build_dashboard
from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.model import Diagnostic, LintResult, Severity
from nemo_docs_lint.registry import all_rules

needs_graph_rules = pytest.mark.skipif(
    not {"LNK001", "LNK002", "TOC002", "TOC005"} <= set(all_rules()),
    reason="the graph rules (LNK, TOC) are not registered in this build",
)


def _by_name(board) -> dict:
    return {g.name: g for g in board.groups}


@needs_graph_rules
def test_group_numbers(result: LintResult, groups: list[GroupSpec]) -> None:
    board = build_dashboard(result, groups)
    assert [g.name for g in board.groups] == ["Setup", "Guide", UNGROUPED]
    setup, guide, ungrouped = board.groups
    assert [f.path for f in setup.files] == [
        "guide/shared.md",
        "index.md",
        "setup/install.md",
        "setup/xss.md",
    ]
    numbers = {
        g.name: (
            len(g.files),
            g.files_clean,
            g.errors,
            g.warnings,
            g.notes,
            g.metadata_valid,
            g.metadata_pages,
            g.broken_links,
            g.orphans,
            g.status,
        )
        for g in (*board.groups, board.total)
    }
    assert numbers == {
        "Setup": (4, 3, 0, 1, 1, 4, 4, 0, 1, "needs-work"),
        "Guide": (4, 1, 4, 1, 1, 2, 4, 2, 1, "blocked"),
        UNGROUPED: (1, 0, 1, 1, 0, 0, 1, 0, 1, "blocked"),
        "All files": (8, 4, 5, 2, 1, 5, 8, 2, 2, "blocked"),
    }
    assert board.total.completeness == pytest.approx(5 / 8)
    assert dict(guide.codes) == {"FM003": 1, "FM004": 1, "LNK001": 1, "LNK002": 1, "TOC002": 1,
                                 "TOC005": 1}  # fmt: skip
    assert ungrouped.priority is None
    assert setup.reviewers == ("@docs-lead", "@setup-owner")
    assert guide.url == "https://github.com/example/docs/pull/7"


def test_frontmatter_numbers_and_metadata(docs: Path, groups: list[GroupSpec]) -> None:
    result = lint(LintRequest(paths=(docs,), select=("FM",), use_cache=False))
    board = build_dashboard(result, groups)
    guide = _by_name(board)["Guide"]
    assert (guide.errors, guide.metadata_valid, guide.metadata_pages) == (2, 2, 4)
    assert [f.path for f in guide.files if f.problems] == ["guide/a.md", "guide/b.md"]
    metadata = {d.key: (dict(d.counts), d.missing) for d in board.total.metadata}
    assert metadata == {
        "difficulty": (
            {"beginner": 2, "intermediate": 2, "advanced": 1, "expert": 1},
            ("guide/a.md", "notes/loose.md"),
        ),
        "content_type": (
            {"tutorial": 3, "concept": 2, "example": 1, "reference": 1},
            ("notes/loose.md",),
        ),
        "personas": (
            {"mle-focused": 4, "researcher-focused": 2, "admin-focused": 1, "devops-focused": 1},
            ("notes/loose.md",),
        ),
        "modality": ({"text-only": 6, "universal": 1}, ("notes/loose.md",)),
    }
    # most frequent first, then by name
    assert [v for v, _ in board.total.metadata[0].counts] == [
        "beginner",
        "intermediate",
        "advanced",
        "expert",
    ]
    guide_difficulty = guide.metadata[0]
    assert dict(guide_difficulty.counts) == {"intermediate": 1, "advanced": 1, "expert": 1}
    assert guide_difficulty.missing == ("guide/a.md",)


def test_page_in_two_groups_and_entries_matching_nothing(
    result: LintResult, groups: list[GroupSpec]
) -> None:
    board = build_dashboard(result, groups)
    assert board.overlaps == (("guide/shared.md", ("Setup", "Guide")),)
    assert board.unmatched == (("Guide", "legacy/**"),)
    guide = _by_name(board)["Guide"]
    assert guide.unmatched == ("legacy/**",)
    shared = next(f for f in guide.files if f.path == "guide/shared.md")
    assert shared.groups == ("Setup", "Guide")


def test_ungrouped_holds_pages_in_no_group(result: LintResult, groups: list[GroupSpec]) -> None:
    board = build_dashboard(result, groups)
    ungrouped = board.groups[-1]
    assert ungrouped.name == UNGROUPED
    assert [f.path for f in ungrouped.files] == ["notes/loose.md"]
    everything = build_dashboard(result, [GroupSpec("All", "low", ("**",))])
    assert everything.groups[-1].name == UNGROUPED
    assert everything.groups[-1].files == ()
    assert everything.groups[-1].status == "empty"


def test_groups_sorted_by_priority_then_file_order(result: LintResult) -> None:
    groups = [
        GroupSpec("Low", "low", ("notes/**",)),
        GroupSpec("Medium 1", "medium", ("guide/**",)),
        GroupSpec("High", "high", ("index.md",)),
        GroupSpec("Medium 2", "medium", ("setup/**",)),
    ]
    board = build_dashboard(result, groups)
    assert [g.name for g in board.groups] == ["High", "Medium 1", "Medium 2", "Low", UNGROUPED]


def test_descriptions_titles_and_links(result: LintResult, groups: list[GroupSpec]) -> None:
    board = build_dashboard(
        result,
        groups,
        output_dir=result.config.docs_root.parent / "site",
        repo_url="https://github.com/example/docs/blob/main/",
    )
    xss = next(f for g in board.groups for f in g.files if f.path == "setup/xss.md")
    assert xss.description == "<script>alert(1)</script>"
    assert xss.title == "Escaping <b>check</b> & co"
    assert xss.href == "../docs/setup/xss.md"
    # the fixture copy is not in a git repository: paths are relative to the docs root's parent
    assert xss.repo_href is not None
    assert xss.repo_href.startswith("https://github.com/example/docs/blob/main/")
    assert xss.repo_href.endswith("setup/xss.md")


def test_baseline_known_and_new(result: LintResult, groups: list[GroupSpec]) -> None:
    known = [d for d in result.diagnostics if d.path == "guide/a.md"]
    new = [d for d in result.diagnostics if d.path != "guide/a.md"]
    board = build_dashboard(replace(result, diagnostics=new), groups, known=known)
    assert board.baseline
    guide = _by_name(board)["Guide"]
    a = next(f for f in guide.files if f.path == "guide/a.md")
    assert a.problems and all(p.known for p in a.problems)
    assert guide.known == len(known)
    assert guide.new == guide.problems - len(known)
    assert board.total.known == len(known)
    assert board.total.problems == len(result.diagnostics)
    assert not build_dashboard(result, groups).baseline


def test_counts_follow_the_codes(result: LintResult, groups: list[GroupSpec]) -> None:
    """Broken links are LNK001-LNK004, orphans TOC002; other codes count only by severity."""

    def diag(code: str, severity: Severity = Severity.ERROR) -> Diagnostic:
        return Diagnostic(code, severity, "setup/install.md", 3, 1, f"{code} here")

    extra = [diag(c) for c in ("LNK001", "LNK002", "LNK003", "LNK004", "LNK005", "LNK006")]
    extra += [diag("TOC002", Severity.WARNING), diag("TOC003", Severity.WARNING)]
    base = replace(result, diagnostics=[])
    setup = build_dashboard(replace(base, diagnostics=extra), groups).groups[0]
    assert (setup.broken_links, setup.orphans, setup.errors, setup.warnings) == (4, 1, 6, 2)
    assert setup.files_clean == 3
    assert setup.status == "blocked"
