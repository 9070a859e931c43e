"""The incremental index equals a from-scratch lint after every one of hundreds of random edits."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from helpers import GOOD_FRONTMATTER, write_tree

from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.incremental import IncrementalLinter


def _page(title: str, body: str = "", label: str | None = None) -> str:
    head = f"({label})=\n" if label else ""
    return f"{GOOD_FRONTMATTER}\n{head}# {title}\n\n## Details\n\n{body}\n"


TREE = {
    "conf.py": "myst_heading_anchors = 3\n",
    "index.md": _page(
        "Home", "```{toctree}\n:glob:\nguide/index\nabout\nref/*\n```\n", label="home"
    ),
    "about.md": _page("About", "See [the guide](guide/index.md#details).", label="about-page"),
    "guide/index.md": _page("Guide", "```{toctree}\nsetup\nusage\n```\n{ref}`about-page`"),
    "guide/setup.md": _page("Setup", "![shot](../img/shot.png) and [use](usage.md#usage)"),
    "guide/usage.md": _page("Usage", "[home](#home) {doc}`../about`", label="usage"),
    "ref/api.md": _page("API", "[setup](/guide/setup) [x](usage)"),
    "ref/cli.rst": "CLI\n===\n\n.. _cli-label:\n\nSee :ref:`usage`.\n",
    "lonely.md": _page("Lonely", "[missing](nowhere.md) {ref}`nolabel`"),
    "img/shot.png": "png",
}


def _from_scratch(root: Path) -> list:
    return lint(LintRequest(paths=(root,), use_cache=False)).diagnostics


def _lines_of(root: Path, path: str) -> list[str]:
    return (root / path).read_text(encoding="utf-8").split("\n")


def _edit(rng: random.Random, root: Path, counter: list[int]) -> dict[str, str | None]:
    """One random change on disk; returns {path: new text or None}."""
    docs = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in (".md", ".rst")
    )
    md = [d for d in docs if d.endswith(".md")]
    docnames = [d.rsplit(".", 1)[0] for d in docs]
    path = rng.choice(md)
    lines = _lines_of(root, path)
    counter[0] += 1
    n = counter[0]
    body_at = next(i for i, line in enumerate(lines) if line.startswith("# ")) + 1
    at = rng.randint(body_at, len(lines))
    kind = rng.randrange(15)
    target = rng.choice([*docnames, "nowhere", "guide/nowhere"])
    if kind == 0:  # a link, maybe with an anchor, maybe broken
        fragment = rng.choice(["", "#details", "#usage", "#nope", "#home"])
        lines.insert(at, f"[link {n}](/{target}.md{fragment})")
    elif kind == 1 and len(lines) > body_at + 1:  # remove a line of the body
        del lines[rng.randint(body_at, len(lines) - 1)]
    elif kind == 2:  # a label
        lines.insert(at, "")
        lines.insert(at, f"(lab-{rng.randrange(6)})=")
    elif kind == 3:  # a heading (changes anchors)
        lines.insert(at, f"\n## {rng.choice(['Usage', 'Details', 'New', 'Home'])}\n")
    elif kind == 4:  # a reference to a label
        lines.insert(at, f"{{ref}}`lab-{rng.randrange(6)}` [t](#lab-{rng.randrange(6)})")
    elif kind == 5:  # a toctree
        entries = "\n".join(rng.sample([*docnames, "nowhere"], k=2))
        lines.insert(at, f"\n```{{toctree}}\n{entries}\n```\n")
    elif kind == 6:  # a new page
        new = f"{rng.choice(['', 'guide/', 'ref/'])}new{n}.md"
        label = f"lab-{rng.randrange(6)}" if rng.random() < 0.5 else None
        text = _page(f"New {n}", f"[up](/{target})", label=label)
        write_tree(root, {new: text})
        return {new: text}
    elif kind == 7 and len(md) > 3:  # delete a page
        victim = rng.choice([d for d in md if d != "index.md"])
        (root / victim).unlink()
        return {victim: None}
    elif kind == 8:  # an image file comes or goes
        image = root / "img" / "shot.png"
        if image.exists():
            image.unlink()
            return {"img/shot.png": None}
        write_tree(root, {"img/shot.png": "png"})
        return {"img/shot.png": "png"}
    elif kind == 9 and rng.random() < 0.3:  # a twin source (`cli.md` beside `cli.rst`)
        twin = root / "ref" / "cli.md"
        if twin.exists():
            twin.unlink()
            return {"ref/cli.md": None}
        text = _page("CLI twin", "(cli-label)=\n")
        twin.write_text(text, encoding="utf-8")
        return {"ref/cli.md": text}
    elif kind == 9:  # a suppression
        lines.insert(at, "<!-- nemo-docs-lint: disable-next-line LNK001 -->")
    elif kind == 10:  # toggle the orphan option
        if lines[1] == "orphan: true":
            del lines[1]
        else:
            lines.insert(1, "orphan: true")
    elif kind == 11:  # a {doc} role
        lines.insert(at, f"{{doc}}`/{target}`")
    elif kind == 12:  # a one-character edit
        line = rng.randint(body_at, len(lines) - 1)
        lines[line] = lines[line] + rng.choice("x#)]`")
    elif kind == 13:  # include another page: its headings and labels become this page's
        included = rng.choice([d for d in md if d != path])
        lines.insert(at, f"\n```{{include}} /{included}\n```\n")
    else:  # break the frontmatter
        lines[2] = rng.choice(['categories: ["training"]', "categories: [", "categorie: [a]"])
    text = "\n".join(lines)
    (root / path).write_text(text, encoding="utf-8")
    return {path: text}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_match_a_full_lint(tmp_path: Path, seed: int) -> None:
    """Seed 3 defers the tree rules of every update and settles them after it."""
    root = write_tree(tmp_path / "docs", TREE)
    linter = IncrementalLinter.open(root, use_cache=False)
    expected = _from_scratch(root)
    assert linter.all_diagnostics() == expected
    rng = random.Random(seed)
    counter = [0]
    partial = 0
    for step in range(150):
        change = _edit(rng, root, counter)
        if seed == 3:
            changed = linter.update(change, settle=False) | linter.settle()
        else:
            changed = linter.update(change)
        before, expected = expected, _from_scratch(root)
        assert linter.all_diagnostics() == expected, f"step {step}: {change}"
        moved = {d.path for d in set(before) ^ set(expected)}
        assert moved <= changed, f"step {step}: unannounced changes in {moved - changed}"
        if linter.last.rechecked < len(linter.index.pages):
            partial += 1
    assert partial > 100  # most edits re-checked only part of the tree


def test_a_text_edit_rechecks_one_page_and_no_tree_rule(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "docs", TREE)
    linter = IncrementalLinter.open(root, use_cache=False)
    text = (root / "ref/api.md").read_text() + "\nMore words.\n"
    assert linter.update({"ref/api.md": text}) == set()
    assert (linter.last.parsed, linter.last.rechecked, linter.last.tree_rules) == (1, 1, False)


def test_a_renamed_heading_rechecks_the_pages_linking_to_it(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "docs", TREE)
    linter = IncrementalLinter.open(root, use_cache=False)
    text = (root / "guide/index.md").read_text().replace("## Details", "## Particulars")
    changed = linter.update({"guide/index.md": text})
    assert changed == {"about.md"}
    assert linter.last.rechecked == 2  # guide/index.md and about.md, nothing else
    [diagnostic] = linter.diagnostics["about.md"]
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("LNK002", 16, 17)


def test_removing_a_toctree_line_orphans_the_page(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "docs", TREE)
    linter = IncrementalLinter.open(root, use_cache=False)
    text = (root / "guide/index.md").read_text().replace("usage\n", "")
    changed = linter.update({"guide/index.md": text})
    assert changed == {"guide/usage.md"}
    assert [d.code for d in linter.diagnostics["guide/usage.md"]] == ["TOC002", "TOC005"]


def test_deferred_tree_rules_wait_for_settle(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "docs", TREE)
    linter = IncrementalLinter.open(root, use_cache=False)
    text = (root / "guide/index.md").read_text().replace("usage\n", "")
    assert linter.update({"guide/index.md": text}, settle=False) == set()
    assert linter.tree_pending and "guide/usage.md" not in linter.diagnostics
    assert linter.settle() == {"guide/usage.md"}
    assert not linter.tree_pending and linter.settle() == set()


def test_editing_an_included_page_rechecks_the_pages_of_its_includer(tmp_path: Path) -> None:
    """A heading of an included page is the includer's: renaming it breaks links to the
    includer, though the includer's own text did not change."""
    tree = dict(TREE)
    tree["about.md"] = _page("About", "See [usage](guide/index.md#usage).", label="about-page")
    tree["guide/index.md"] += "\n```{include} usage.md\n```\n"
    root = write_tree(tmp_path / "docs", tree)
    linter = IncrementalLinter.open(root, use_cache=False)
    assert "about.md" not in linter.diagnostics
    text = (root / "guide/usage.md").read_text().replace("# Usage", "# Use").replace("(usage)=", "")
    (root / "guide/usage.md").write_text(text)
    changed = linter.update({"guide/usage.md": text})
    assert linter.all_diagnostics() == _from_scratch(root)
    assert "about.md" in changed
    [diagnostic] = [d for d in linter.diagnostics["about.md"] if d.code == "LNK002"]
    assert (diagnostic.line, diagnostic.column) == (16, 13)
