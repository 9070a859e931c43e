"""`--unsafe-fixes`: FM004/FM007/FM009 edit the frontmatter's YAML bytes in place; TOC001 fixes;
the console's `[*]` marks and fixable counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from integration_support import REPO

EXAMPLES = REPO / "examples" / "docs"
SCHEMA = REPO / "schemas" / "frontmatter.schema.json"


def _schema_with_how_to(tmp_path: Path) -> Path:
    """The default schema extended as a team would: `how-to` is one more content type."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["properties"]["content_type"]["enum"].append("how-to")
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    return path


def _bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_unsafe_fixes_on_the_example_tree_are_byte_exact(cli, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(EXAMPLES, docs)
    schema = _schema_with_how_to(tmp_path)
    before = _bytes(docs)
    args = ("docs", "--select", "FM", "--no-cache", "--schema", str(schema))

    shown = cli(*args)
    assert "content_type` value 'howto' is not allowed; did you mean 'how-to'?" in shown.stdout
    assert shown.stdout.rstrip().endswith("; 3 with --unsafe-fixes.")
    listed = json.loads(cli(*args, "--format", "json").stdout)["diagnostics"]
    fixes = sorted((d["fixable"], d["fix"]) for d in listed if d["fix"] is not None)
    assert fixes == [(False, "unsafe")] * 3  # `--fix` alone fixes none of them

    safe_only = cli(*args, "--fix")  # unsafe fixes need --unsafe-fixes
    assert _bytes(docs) == before and "fixed" not in safe_only.stderr

    diff = cli(*args, "--diff", "--unsafe-fixes")
    assert diff.exit_code == 1 and _bytes(docs) == before
    assert '-content_type: "howto"\n+content_type: "how-to"\n' in diff.stdout

    fixed = cli(*args, "--fix", "--unsafe-fixes")
    assert "fixed 3 problems in 2 files" in fixed.stderr
    after = _bytes(docs)
    changed = {p for p in before if before[p] != after[p]}
    assert changed == {"get-started/installation.md", "guides/training-algorithms/grpo.md"}
    install = "get-started/installation.md"
    assert after[install] == before[install].replace(
        b'persona: ["devops-focused"]', b'personas: ["devops-focused"]'
    ).replace(b'content_type: "howto"', b'content_type: "how-to"')
    grpo = "guides/training-algorithms/grpo.md"
    assert after[grpo] == before[grpo].replace(
        b'personas: ["mle-focused", "Researchers"]',
        b'personas: ["mle-focused", "researcher-focused"]',
    )
    # what remains is linted afresh: `personas` is no longer missing
    assert "FM003" not in fixed.stdout and "FM007" not in fixed.stdout


PAGE = """---
# how the page is listed
description: 'A page.'   # keep this comment
categories: ["training"]
tags: [sft, rl, sft, 'rl']
personas:
  - mle-focused
  - mle-focused
difficulty: Intermediate
content_type: tutorial
modality: text-only
---

# Page
"""


def test_yaml_is_edited_in_place_quotes_comments_and_order_kept(cli, tree) -> None:
    docs = tree({"conf.py": "", "index.md": PAGE})
    result = cli("docs", "--select", "FM", "--no-cache", "--fix", "--unsafe-fixes")
    assert "fixed 4 problems in 1 file" in result.stderr, result.stderr
    assert (docs / "index.md").read_text(encoding="utf-8") == PAGE.replace(
        "tags: [sft, rl, sft, 'rl']", "tags: [sft, rl]"
    ).replace("  - mle-focused\n  - mle-focused\n", "  - mle-focused\n").replace(
        "difficulty: Intermediate", "difficulty: intermediate"
    )


def test_a_key_is_not_renamed_onto_one_that_exists(cli, tree) -> None:
    page = PAGE.replace("personas:\n  - mle-focused\n  - mle-focused\n", "")
    page = page.replace(
        "modality: text-only\n", "modality: text-only\npersona: [x]\npersonas: [mle-focused]\n"
    )
    docs = tree({"conf.py": "", "index.md": page})
    result = cli("docs", "--select", "FM007", "--no-cache", "--diff", "--unsafe-fixes")
    assert result.exit_code == 0 and result.stdout == ""
    assert (docs / "index.md").read_text(encoding="utf-8") == page


def test_toc001_single_candidate_is_a_safe_fix(cli, tree) -> None:
    docs = tree(
        {
            "conf.py": "",
            "index.md": "# Home\n\n```{toctree}\nguides/index\nClusters <cluster>\n```\n",
            "guides/index.md": "# Guides\n\n```{toctree}\nsetup.md\n```\n",
            "deploy/cluster.md": "# Cluster\n",
            "deploy/setup.md": "# Setup\n",
            "deploy/index.md": "# Deploy\n\n```{toctree}\ncluster\nsetup\n```\n",
        }
    )
    before = cli("docs", "--select", "TOC001", "--no-cache")
    assert "docs/index.md:5:11: error TOC001 [*] toctree entry `cluster`" in before.stdout
    assert before.stdout.rstrip().endswith("; [*] 2 fixable with --fix.")
    fixed = cli("docs", "--select", "TOC001", "--no-cache", "--fix")
    assert fixed.exit_code == 0, fixed.stdout
    assert "Clusters <deploy/cluster>\n" in (docs / "index.md").read_text(encoding="utf-8")
    assert "\n../deploy/setup.md\n" in (docs / "guides" / "index.md").read_text(encoding="utf-8")
