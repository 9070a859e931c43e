"""Review-group dashboards: `nemo-docs-lint dashboard docs/ --groups groups.toml --output site/`.

groups (load/validate/assign) -> numbers (pure data model) -> html / export (the three files).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..model import Diagnostic, LintResult
from .groups import GroupsError, GroupSpec, load_groups
from .numbers import Dashboard, build_dashboard

__all__ = [
    "Dashboard",
    "GroupSpec",
    "GroupsError",
    "build_dashboard",
    "load_groups",
    "split_baseline",
    "write_site",
]

FILES = ("index.html", "dashboard.json", "dashboard.md")


def split_baseline(
    result: LintResult, baseline_path: Path
) -> tuple[LintResult, list[Diagnostic], int]:
    """Split a baseline-free run into new problems (the returned result), known ones, and the
    number of baseline entries that matched nothing."""
    from ..baseline import apply

    outcome = apply(baseline_path, result.diagnostics, result.config, result.index)
    kept = {id(d) for d in outcome.diagnostics}
    known = [d for d in result.diagnostics if id(d) not in kept]
    return replace(result, diagnostics=list(outcome.diagnostics)), known, outcome.fixed


def write_site(
    result: LintResult,
    groups: list[GroupSpec],
    output_dir: Path,
    *,
    known: list[Diagnostic] | None = None,
    baseline_fixed: int = 0,
    repo_url: str | None = None,
    title: str | None = None,
) -> Dashboard:
    """Build the dashboard and write index.html, dashboard.json and dashboard.md."""
    from ..fileio import write_atomic
    from ..reporters.base import printable
    from .export import to_json, to_markdown
    from .html import render_html

    dashboard = build_dashboard(
        result,
        groups,
        known=known,
        baseline_fixed=baseline_fixed,
        output_dir=output_dir,
        repo_url=repo_url,
        title=title,
    )
    for name, text in (
        ("index.html", printable(render_html(dashboard))),  # file names that are not UTF-8
        ("dashboard.json", printable(to_json(dashboard), json_text=True)),
        ("dashboard.md", printable(to_markdown(dashboard))),
    ):
        path = output_dir / name
        fresh = not path.exists()
        write_atomic(path, text)
        if fresh:  # a site is meant to be served: readable like any new file, not 0600
            path.chmod(0o666 & ~_umask())
    return dashboard


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
