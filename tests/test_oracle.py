"""Agreement with Sphinx: the graph rules report what a real Sphinx build of the corpus reports.

`../shared/oracle/` holds Sphinx 9 + myst-parser 5's warnings for the shared corpus. Each Sphinx
category maps to our codes; every Sphinx finding must be ours too (same file, and line where
Sphinx gives one), and we may report nothing of those codes that Sphinx does not, except the
entries of ALLOWED_EXTRA below, each with the reason the linter is right.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from nemo_docs_lint.engine import LintRequest, lint

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = Path(os.environ.get("NEMO_DOCS_LINT_CORPUS", SHARED / "corpus/nemo-rl-refactor/docs"))
ORACLE = Path(os.environ.get("NEMO_DOCS_LINT_ORACLE", SHARED / "oracle"))

CATEGORY_CODES = {
    "orphan": {"TOC002"},
    "toctree-missing": {"TOC001"},
    "ref-undefined": {"LNK003"},
    "doc-missing": {"LNK001"},
    "myst-xref-missing": {"LNK001", "LNK002"},
    "image-missing": {"LNK004"},
    "duplicate-label": {"LNK006"},
    "header-anchor": {"LNK002"},
}
COMPARED_CODES = frozenset().union(*CATEGORY_CODES.values())

# (path, code, line) the linter reports and Sphinx does not, with why the linter is right.
# Empty: on the shared corpus the linter and Sphinx agree exactly.
ALLOWED_EXTRA: dict[tuple[str, str, int], str] = {}

pytestmark = pytest.mark.skipif(
    not (CORPUS / "conf.py").is_file() or not ORACLE.is_dir(),
    reason=f"shared corpus/oracle not found at {CORPUS} / {ORACLE} (set NEMO_DOCS_LINT_CORPUS)",
)


def _sphinx_findings(name: str) -> list[dict]:
    findings = json.loads((ORACLE / name).read_text(encoding="utf-8"))
    return [f for f in findings if f["category"] in CATEGORY_CODES]


def _our_findings(docs: Path) -> list[tuple[str, str, int]]:
    request = LintRequest(paths=(docs,), select=tuple(sorted(COMPARED_CODES)), use_cache=False)
    result = lint(request, cwd=docs)
    return [(d.path, d.code, d.line) for d in result.diagnostics]


def _assert_agreement(sphinx: list[dict], ours: list[tuple[str, str, int]]) -> None:
    unmatched = list(ours)
    missing = []
    for finding in sphinx:
        codes = CATEGORY_CODES[finding["category"]]
        match = next(
            (
                o
                for o in unmatched
                if o[0] == finding["file"]
                and o[1] in codes
                and (finding["line"] is None or o[2] == finding["line"])
            ),
            None,
        )
        if match is None:
            missing.append(finding)
        else:
            unmatched.remove(match)
    extra = [o for o in unmatched if o not in ALLOWED_EXTRA]
    assert not missing, f"Sphinx reports these, the linter does not: {missing}"
    assert not extra, f"the linter reports these, Sphinx does not: {extra}"


def test_agrees_with_sphinx_as_configured_without_suppressions() -> None:
    sphinx = _sphinx_findings("sphinx-no-suppress.json")
    assert len(sphinx) == 38  # 14 orphans + 24 links out of docs/: the oracle is what we think
    _assert_agreement(sphinx, _our_findings(CORPUS))


def test_agrees_with_sphinx_without_heading_anchors(tmp_path: Path) -> None:
    """With `myst_heading_anchors = 0`, links that only resolve through slugs break."""
    copy = tmp_path / "nemo-rl-refactor"
    shutil.copytree(CORPUS.parent, copy, ignore=shutil.ignore_patterns(".nemo-docs-lint-cache"))
    conf = copy / "docs/conf.py"
    conf.chmod(0o644)
    text = conf.read_text(encoding="utf-8")
    assert "myst_heading_anchors = 5" in text
    conf.write_text(text.replace("myst_heading_anchors = 5", "myst_heading_anchors = 0"))
    sphinx = _sphinx_findings("sphinx-no-suppress-anchors0.json")
    assert sum(f["category"] == "header-anchor" for f in sphinx) == 9
    _assert_agreement(sphinx, _our_findings(copy / "docs"))


def test_links_out_of_docs_resolve_in_a_full_checkout(tmp_path: Path) -> None:
    """The 24 links to ../../../examples and ../../../nemo_rl exist in the full repository."""
    copy = tmp_path / "nemo-rl-refactor"
    shutil.copytree(CORPUS.parent, copy)
    for finding in _sphinx_findings("sphinx-no-suppress.json"):
        if finding["category"] != "myst-xref-missing":
            continue
        target = finding["message"].split("'")[3]
        path = (copy / "docs" / finding["file"]).parent / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# placeholder\n", encoding="utf-8")
    ours = _our_findings(copy / "docs")
    assert [o for o in ours if o[1] == "LNK001"] == []
    assert sorted(o[0] for o in ours if o[1] == "TOC002") == sorted(
        f["file"] for f in _sphinx_findings("sphinx-no-suppress.json") if f["category"] == "orphan"
    )
