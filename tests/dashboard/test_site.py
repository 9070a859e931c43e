"""The written site: escaping, self-containment, JSON and Markdown, and the `dashboard` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from nemo_docs_lint.baseline import write as write_baseline
from nemo_docs_lint.cli import main
from nemo_docs_lint.dashboard import write_site
from nemo_docs_lint.dashboard.export import to_markdown
from nemo_docs_lint.dashboard.groups import GroupSpec
from nemo_docs_lint.dashboard.numbers import build_dashboard
from nemo_docs_lint.model import LintResult


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_html_escapes_everything_from_the_docs(
    result: LintResult, groups: list[GroupSpec], tmp_path: Path
) -> None:
    write_site(result, groups, tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "Escaping &lt;b&gt;check&lt;/b&gt; &amp; co" in html
    assert " on" not in re.sub(r">[^<]*<", "><", html).lower().replace("content", "")  # no handlers


def test_html_is_self_contained(
    result: LintResult, groups: list[GroupSpec], tmp_path: Path
) -> None:
    write_site(result, groups, tmp_path / "site", repo_url="https://github.com/o/r/blob/main")
    html = (tmp_path / "site" / "index.html").read_text()
    urls = set(re.findall(r"""(?:src|href)=["']([^"']+)""", html))
    remote = {u for u in urls if "://" in u}
    assert remote and all(u.startswith("https://github.com/") for u in remote)  # links only
    assert "src=" not in html  # nothing is loaded: no scripts, images, frames
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "Content-Security-Policy" in html
    # overview chart, 4 metadata charts for the tree and each group (Ungrouped has no values)
    assert len(re.findall(r'class="chart[ "]', html)) == 1 + 4 + 4 + 4


def test_html_shows_groups_overlaps_and_unmatched(
    result: LintResult, groups: list[GroupSpec], tmp_path: Path
) -> None:
    write_site(result, groups, tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text()
    positions = [html.index(f'id="{i}"') for i in ("g1-setup", "g2-guide", "g3-ungrouped")]
    assert positions == sorted(positions)
    assert "is in 2 groups" in html
    assert "the entry <code>legacy/**</code> matches no file" in html
    assert 'href="../docs/guide/a.md"' in html
    assert "blocked by errors" in html


def test_json_and_markdown(result: LintResult, groups: list[GroupSpec], tmp_path: Path) -> None:
    board = write_site(result, groups, tmp_path / "site")
    data = json.loads((tmp_path / "site" / "dashboard.json").read_text())
    assert [g["name"] for g in data["groups"]] == ["Setup", "Guide", "Ungrouped"]
    guide = data["groups"][1]
    assert guide["files_total"] == 4
    assert guide["problems"]["error"] == board.groups[1].errors
    assert guide["frontmatter"] == {"pages": 4, "valid": 2, "completeness": 0.5}
    assert data["overlaps"] == [{"path": "guide/shared.md", "groups": ["Setup", "Guide"]}]
    assert data["unmatched"] == [{"group": "Guide", "entry": "legacy/**"}]
    xss = next(f for f in data["groups"][0]["files"] if f["path"] == "setup/xss.md")
    assert xss["description"] == "<script>alert(1)</script>"
    markdown = (tmp_path / "site" / "dashboard.md").read_text()
    assert "| Setup | high | 4 | 3 |" in markdown
    assert "| **All files** |" in markdown
    assert "`legacy/**` matches no file" in markdown
    assert "<script" not in markdown


def test_markdown_cells_are_escaped(result: LintResult) -> None:
    board = build_dashboard(result, [GroupSpec("A | <b>B</b>", "high", ("**",))])
    assert "| A \\| &lt;b&gt;B&lt;/b&gt; | high |" in to_markdown(board)


def test_output_is_deterministic(
    result: LintResult, groups: list[GroupSpec], tmp_path: Path
) -> None:
    write_site(result, groups, tmp_path / "one")
    write_site(result, groups, tmp_path / "two")
    for name in ("index.html", "dashboard.json", "dashboard.md"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_cli_writes_the_site(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run = _run("dashboard", str(docs), "--groups", str(tmp_path / "groups.toml"), "-o", str(out))
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in out.iterdir()) == ["dashboard.json", "dashboard.md", "index.html"]
    assert "2 groups, 8 files" in run.stderr
    assert "guide/shared.md is in 2 groups: Setup, Guide" in run.stderr
    assert "entry 'legacy/**' matches no file" in run.stderr


def test_cli_usage_errors_exit_2(docs: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[group]]\nname = "A"\npriority = "urgent"\nfiles = ["a.md"]\n')
    run = _run("dashboard", str(docs), "--groups", str(bad), "-o", str(tmp_path / "site"))
    assert run.exit_code == 2
    assert "`group.0.priority` = 'urgent' is not allowed; allowed: high | medium" in run.stderr
    groups = str(tmp_path / "groups.toml")
    run = _run("dashboard", str(docs), "--groups", groups, "--repo-url", "javascript:alert(1)")
    assert run.exit_code == 2
    run = _run("dashboard", str(docs), "--groups", groups, "--baseline", str(tmp_path / "no.json"))
    assert run.exit_code == 2
    assert "does not exist" in run.stderr
    assert not (tmp_path / "site").exists()


def test_cli_baseline_shows_new_and_known(docs: Path, result: LintResult, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, result.diagnostics, result.config, result.index)
    page = docs / "setup" / "install.md"
    page.write_text(page.read_text() + "\nNow a [new broken link](nowhere.md).\n")
    out = tmp_path / "site"
    run = _run(
        "dashboard",
        str(docs),
        "--groups",
        str(tmp_path / "groups.toml"),
        "-o",
        str(out),
        "--baseline",
        str(baseline),
    )
    assert run.exit_code == 0, run.output
    data = json.loads((out / "dashboard.json").read_text())
    assert data["baseline"] is True
    total = data["total"]
    assert total["known"] == len(result.diagnostics)
    assert total["new"] == sum(total["problems"].values()) - total["known"]
    html = (out / "index.html").read_text()
    assert "<th>New</th><th>Known</th>" in html
    assert f"{total['new']} new, {total['known']} known (baseline)" in html


def test_repo_links_open_the_source_line_not_the_rendered_page(
    result: LintResult, groups: list[GroupSpec], tmp_path: Path
) -> None:
    """GitHub renders Markdown at `…/x.md#L7`, which scrolls nowhere; `?plain=1#L7` is the line."""
    write_site(result, groups, tmp_path / "site", repo_url="https://github.com/o/r/blob/main")
    html = (tmp_path / "site" / "index.html").read_text()
    lines = re.findall(r'href="(https://github\.com/o/r/blob/main/[^"]*#L\d+)"', html)
    assert lines and all(re.search(r"\.md\?plain=1#L\d+$", href) for href in lines), lines[:3]
    assert 'href="https://github.com/o/r/blob/main/guide/a.md"' in html  # the file: rendered


def test_cli_names_files_as_the_diagnostics_do(docs: Path, tmp_path: Path, cli) -> None:
    run = cli("dashboard", "docs", "--groups", "groups.toml", "-o", "site", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert "nemo-docs-lint: docs/guide/shared.md is in 2 groups: Setup, Guide" in run.stderr
    lint = cli("docs", cwd=tmp_path)
    assert "docs/guide/" in lint.stdout  # the same form
