"""Acceptance on the real NeMo RL refactor docs (issue 2).

The expected diagnostics are computed here INDEPENDENTLY of the code under test: plain string
and regex logic over the files, `yaml.safe_load` for the data, and Sphinx's exclusion rules as
written in `sphinx.util.matching` (re-implemented in a few lines below). Then the sets of
(path, code, line) must be equal.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
import yaml

from nemo_docs_lint.engine import LintRequest, lint

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(
    os.environ.get("NEMO_DOCS_LINT_CORPUS")
    or REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
)

pytestmark = pytest.mark.skipif(
    not (CORPUS / "conf.py").is_file(),
    reason=f"corpus not found at {CORPUS} (set NEMO_DOCS_LINT_CORPUS to a docs folder)",
)

REQUIRED = (
    "description",
    "categories",
    "tags",
    "personas",
    "difficulty",
    "content_type",
    "modality",
)
ENUMS = {
    "difficulty": {"beginner", "intermediate", "advanced", "reference"},
    "content_type": {"tutorial", "concept", "reference", "troubleshooting", "example"},
    "modality": {"text-only", "image-only", "video-only", "multimodal", "universal"},
}
PERSONAS = {
    "mle-focused",
    "researcher-focused",
    "devops-focused",
    "admin-focused",
    "data-scientist-focused",
    "contributor-focused",
}
SPHINX_KEYS = {"orphan", "tocdepth", "nocomments", "nosearch", "html_meta", "myst"}
MIN_ITEMS = {"categories": 1, "tags": 2, "personas": 1}
MAX_ITEMS = {"tags": 8}


# --- an independent model of what the corpus contains ------------------------------------------


def _sphinx_regex(pattern: str) -> re.Pattern[str]:
    """sphinx.util.matching._translate_pattern: `**` -> `.*`, `*` -> `[^/]*`, `?` -> `[^/]`."""
    out = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return re.compile(out + "$")


def _conf_lists(conf: Path) -> list[str]:
    patterns: list[str] = []
    for node in ast.parse(conf.read_text()).body:  # module level only is enough for this corpus
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in (
                "exclude_patterns",
                "templates_path",
                "html_static_path",
                "html_extra_path",
            ):
                patterns += ast.literal_eval(node.value)
    return patterns


def _markdown_pages() -> list[str]:
    """Relative paths of the .md documents, pruning excluded folders the way Sphinx walks."""
    excluded = [_sphinx_regex(p) for p in _conf_lists(CORPUS / "conf.py")]
    pages = []
    for folder, dirs, files in os.walk(CORPUS):
        rel = Path(folder).relative_to(CORPUS).as_posix()
        rel = "" if rel == "." else rel + "/"
        dirs[:] = [d for d in dirs if not any(x.match(rel + d) for x in excluded)]
        for name in files:
            if name.endswith(".md") and not any(x.match(rel + name) for x in excluded):
                pages.append(rel + name)
    return sorted(pages)


def _split(path: str) -> tuple[list[str], dict | None]:
    """(frontmatter lines, data) — lines[0] is file line 2; data None when there is no block."""
    text = (CORPUS / path).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return [], None
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    block = lines[1:end]
    return block, yaml.safe_load("\n".join(block)) or {}


def _key_line(block: list[str], key: str) -> int:
    return next(i for i, line in enumerate(block) if line.startswith(f"{key}:")) + 2


def _item_line(block: list[str], key: str, item: str) -> int:
    start = _key_line(block, key) - 2
    for i in range(start, len(block)):
        if item in block[i]:
            return i + 2
    raise AssertionError(f"{item!r} not found after {key}")


def expected() -> set[tuple[str, str, int, str]]:
    """(path, code, line, key or detail) of every FM001/FM003/FM004/FM005/FM007 diagnostic."""
    found: set[tuple[str, str, int, str]] = set()
    for path in _markdown_pages():
        block, data = _split(path)
        if data is None:
            found.add((path, "FM001", 1, ""))
            continue
        assert isinstance(data, dict), path
        for key in REQUIRED:
            if key not in data:
                found.add((path, "FM003", 1, key))
        for key, allowed in ENUMS.items():
            if key in data and data[key] not in allowed:
                found.add((path, "FM004", _key_line(block, key), str(data[key])))
        for persona in data.get("personas") or []:
            if persona not in PERSONAS:
                found.add((path, "FM004", _item_line(block, "personas", persona), persona))
        for key, low in MIN_ITEMS.items():
            value = data.get(key)
            if isinstance(value, list) and not low <= len(value) <= MAX_ITEMS.get(key, 10**9):
                found.add((path, "FM005", _key_line(block, key), str(len(value))))
        for key in data:
            if key not in REQUIRED and key not in SPHINX_KEYS:
                found.add((path, "FM007", _key_line(block, key), key))
    return found


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def diagnostics() -> list:
    result = lint(LintRequest(paths=(CORPUS,), select=("FM", "NDL"), use_cache=False))
    return result.diagnostics


@pytest.fixture(scope="module")
def want() -> set[tuple[str, str, int, str]]:
    return expected()


def _got(diagnostics, code: str) -> set[tuple[str, str, int]]:
    return {(d.path, d.code, d.line) for d in diagnostics if d.code == code}


def _want(want, code: str) -> set[tuple[str, str, int]]:
    return {(path, c, line) for path, c, line, _ in want if c == code}


def test_bom_index_page_has_frontmatter(diagnostics, want) -> None:
    assert (CORPUS / "index.md").read_bytes().startswith(b"\xef\xbb\xbf---")
    assert not any(d.path == "index.md" and d.code in ("FM001", "FM002") for d in diagnostics)
    assert not any(p == "index.md" and c == "FM001" for p, c, _, _ in want)


def test_pages_without_frontmatter_get_fm001(diagnostics, want) -> None:
    assert len(_want(want, "FM001")) > 150  # the corpus has ~200 such pages
    assert _got(diagnostics, "FM001") == _want(want, "FM001")
    assert all((d.line, d.column) == (1, 1) for d in diagnostics if d.code == "FM001")


def test_tag_counts_out_of_range_get_fm005_at_the_tags_line(diagnostics, want) -> None:
    counts = {detail for _, code, _, detail in want if code == "FM005"}
    assert {"9", "10"} <= counts
    assert _got(diagnostics, "FM005") == _want(want, "FM005")
    for d in diagnostics:
        if d.code == "FM005":
            assert re.fullmatch(r"`tags` has (9|10) items; use 2 to 8", d.message)
            assert d.column == 1


def test_enum_misses_get_fm004_at_the_value(diagnostics, want) -> None:
    values = {detail for _, code, _, detail in want if code == "FM004"}
    assert {"guide", "use-case", "scientific", "conversational"} <= values
    assert _got(diagnostics, "FM004") == _want(want, "FM004")
    for d in diagnostics:
        if d.code == "FM004":
            value = re.search(r"value '([^']*)'", d.message)[1]
            assert (d.path, "FM004", d.line, value) in want


def test_missing_keys_get_one_fm003_each_naming_the_key(diagnostics, want) -> None:
    missing_personas = {
        path for path, code, _, key in want if code == "FM003" and key == "personas"
    }
    assert missing_personas, "the corpus has pages with description but no personas"
    got = {
        (d.path, d.code, d.line, re.search(r"missing required key `([^`]+)`", d.message)[1])
        for d in diagnostics
        if d.code == "FM003"
    }
    assert got == {w for w in want if w[1] == "FM003"}
    assert len(got) == sum(1 for d in diagnostics if d.code == "FM003")


def test_unknown_keys_and_nothing_else(diagnostics, want) -> None:
    assert _got(diagnostics, "FM007") == _want(want, "FM007")
    assert {d.code for d in diagnostics if d.code.startswith("FM")} <= {
        "FM001",
        "FM003",
        "FM004",
        "FM005",
        "FM007",
        "FM008",
    }


def test_documents_and_duplicates(diagnostics) -> None:
    ndl = [(d.path, d.code) for d in diagnostics if d.code.startswith("NDL")]
    assert ndl == [("api-docs/index.rst", "NDL002")]
    reported = {d.path for d in diagnostics}
    assert not any(p.startswith(("_extensions/", "_templates/")) for p in reported)
