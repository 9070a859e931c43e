"""LNK rules that need what a fixture folder cannot hold: a `.git` folder marking the repository.

The rule fixtures live in git, and git will not store a folder named `.git`; these trees are
built in tmp_path instead (see WITHOUT_FIXTURES in test_fixtures.py).
"""

from __future__ import annotations

from pathlib import Path

from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.model import Severity

PAGE = """# Page

[outside](../../../outside.md)
![outside image](../../../pic.png)
{download}`outside <../../../data.zip>`
[in the repository](../../examples/run.py)
[missing in the repository](../../examples/gone.py)
[a docname clamps at the docs root](../../../index)
[absolute](/index.md)
"""


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _lnk(root: Path, docs: Path) -> list[tuple[str, str, int, int, str, Severity]]:
    result = lint(LintRequest(paths=(docs,), select=("LNK",), use_cache=False), cwd=root)
    return [(d.path, d.code, d.line, d.column, d.message, d.severity) for d in result.diagnostics]


def _tree(root: Path) -> Path:
    write_tree(
        root,
        {
            "repo/docs/index.md": "# Home\n",
            "repo/docs/guide/page.md": PAGE,
            "repo/examples/run.py": "print()\n",
            "outside.md": "# Outside the repository\n",
            "pic.png": "png",
            "data.zip": "zip",
        },
    )
    return root / "repo" / "docs"


def test_links_leaving_the_repository(tmp_path: Path) -> None:
    docs = _tree(tmp_path)
    (tmp_path / "repo" / ".git").mkdir()
    leaves = "leaves the repository (repo/); it breaks in any other checkout"
    assert _lnk(tmp_path, docs) == [
        ("guide/page.md", "LNK005", 3, 11, f"`../../../outside.md` {leaves}", Severity.WARNING),
        ("guide/page.md", "LNK005", 4, 18, f"`../../../pic.png` {leaves}", Severity.WARNING),
        ("guide/page.md", "LNK005", 5, 21, f"`../../../data.zip` {leaves}", Severity.WARNING),
        (
            "guide/page.md",
            "LNK001",
            7,
            29,
            "link target `../../examples/gone.py` does not exist",
            Severity.ERROR,
        ),
    ]


def test_without_a_repository_files_outside_the_docs_are_looked_up_on_disk(
    tmp_path: Path,
) -> None:
    docs = _tree(tmp_path)  # no .git anywhere: the repository root is unknown
    assert [(code, line) for _, code, line, *_ in _lnk(tmp_path, docs)] == [("LNK001", 7)]
    (tmp_path / "outside.md").unlink()
    (tmp_path / "pic.png").unlink()
    assert [(code, line) for _, code, line, *_ in _lnk(tmp_path, docs)] == [
        ("LNK001", 3),
        ("LNK004", 4),
        ("LNK001", 7),
    ]


def test_a_link_to_the_repository_root_itself_stays_inside(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"repo/docs/index.md": "[readme](../README.md) [root](../)\n", "repo/README.md": "x\n"},
    )
    (tmp_path / "repo" / ".git").mkdir()
    assert _lnk(tmp_path, tmp_path / "repo" / "docs") == []
