"""The resolver answers with neutral facts; wording and fixes are the LNK rules' business."""

from __future__ import annotations

from pathlib import Path

from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.resolve import Outcome, Resolver, TargetKind


def test_resolutions_are_facts(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "get-started").mkdir(parents=True)
    (docs / "conf.py").write_text("myst_heading_anchors = 2\n")
    (docs / "get-started" / "cluster.md").write_text("(cluster-setup)=\n# Cluster\n\n## Nodes\n")
    (docs / "index.md").write_text(
        "# Home\n\n[a](cluster.md) [b](get-started/cluster.md#node) {ref}`cluster-set`\n"
        "{doc}`cluster` ![c](pic.png) [d](https://example.com) [e](get-started/cluster.md)\n"
    )
    result = lint(LintRequest(paths=(docs,), use_cache=False), cwd=tmp_path)
    page = result.index.pages["index"]
    resolver = Resolver(result.index, None)
    facts = [
        (r.outcome, r.kind, r.target, r.path, r.fragment, r.page, r.local, r.candidates)
        for r in (resolver.resolve(page, ref) for ref in page.body.references)
    ]
    assert facts == [
        (
            Outcome.MISSING,
            TargetKind.LINK,
            "cluster.md",
            "cluster.md",
            "",
            "",
            False,
            ("get-started/cluster.md",),
        ),
        (
            Outcome.MISSING,
            TargetKind.ANCHOR,
            "get-started/cluster.md#node",
            "",
            "node",
            "get-started/cluster.md",
            False,
            ("cluster", "cluster-setup", "nodes"),  # MyST 5: a page's labels are anchors too
        ),
        (Outcome.MISSING, TargetKind.LABEL, "cluster-set", "", "", "", False, ("cluster-setup",)),
        (
            Outcome.MISSING,
            TargetKind.DOCUMENT,
            "cluster",
            "",
            "",
            "",
            False,
            ("get-started/cluster.md",),
        ),
        (Outcome.MISSING, TargetKind.IMAGE, "pic.png", "pic.png", "", "", False, ()),
        (Outcome.EXTERNAL, None, "", "", "", "", False, ()),
        (Outcome.OK, None, "", "", "", "", False, ()),
    ]
    messages = [(d.code, d.message) for d in result.diagnostics if d.code.startswith("LNK")]
    assert messages == [
        (
            "LNK001",
            "link target `cluster.md` does not exist; did you mean `get-started/cluster.md`?",
        ),
        (
            "LNK002",
            "`get-started/cluster.md#node`: `get-started/cluster.md` has no heading anchor "
            "`#node`; did you mean `nodes`?",
        ),
        ("LNK003", "label `cluster-set` is not defined; did you mean `cluster-setup`?"),
        ("LNK001", "document `cluster` does not exist; did you mean `get-started/cluster`?"),
        ("LNK004", "image `pic.png` does not exist"),
    ]


def test_misses_share_one_candidate_tuple_per_kind(tmp_path: Path) -> None:
    """Thousands of broken references must not each copy (and re-index for did-you-mean) the
    tree's labels, terms or equations: every miss of a kind carries the very same tuple."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text("")
    (docs / "a.md").write_text(
        "(alpha)=\n# A\n\n```{glossary}\nterm one\n  A term.\n```\n\n"
        "```{math}\n:label: e1\nx\n```\n"
    )
    (docs / "index.md").write_text(
        "# Home\n\n```{toctree}\na\n```\n\n[x](nolabel-1) [y](nolabel-2)\n"
        "{ref}`alphx` {ref}`alphy` {term}`tem one` {term}`trm one` {eq}`e2` {eq}`e3`\n"
    )
    result = lint(LintRequest(paths=(docs,), use_cache=False), cwd=tmp_path)
    page = result.index.pages["index"]
    resolver = Resolver(result.index, None)
    found = [resolver.resolve(page, ref) for ref in page.body.references]
    links, labels, terms, equations = found[0:2], found[2:4], found[4:6], found[6:8]
    assert links[0].labels == ("alpha",) and links[0].labels is links[1].labels
    assert labels[0].candidates == ("alpha",) and labels[0].candidates is labels[1].candidates
    assert terms[0].candidates == ("term one",) and terms[0].candidates is terms[1].candidates
    assert equations[0].candidates == ("e1",)
    assert equations[0].candidates is equations[1].candidates
