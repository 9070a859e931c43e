"""CQ rules on the real NeMo RL docs: every finding, computed here independently.

The model of the pages below is plain line logic (fences opened and closed by their character
and length, directive fences versus code fences, ATX headings, a few regexes for links, images
and placeholders) and `yaml.safe_load`; it shares no code with the parser. Each rule's expected
(path, code, line) set must equal what the linter reports, and the counts per code are pinned.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest
from test_corpus import CORPUS, _item_line, _markdown_pages, _split

from nemo_docs_lint.engine import LintRequest, lint

pytestmark = pytest.mark.skipif(
    not (CORPUS / "conf.py").is_file(), reason=f"corpus not found at {CORPUS}"
)

# Counted by hand from the expectations below (and read one by one, see the issue note).
COUNTS = {"CQ001": 2, "CQ003": 3, "CQ004": 2, "CQ006": 27, "CQ007": 1, "CQ009": 5}

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,}|:{3,})\s*(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_LITERAL = {"code-block", "code", "sourcecode", "code-cell", "eval-rst", "mermaid", "raw", "math"}
_LITERAL |= {"toctree", "literalinclude", "csv-table", "graphviz"}


@dataclass
class Model:
    headings: list[tuple[int, str, int]] = field(default_factory=list)  # level, text, line
    fences: list[tuple[int, str]] = field(default_factory=list)  # line, info of code fences
    prose: list[tuple[int, str]] = field(default_factory=list)  # line, text outside fences


def _model(path: str) -> Model:
    text = (CORPUS / path).read_bytes().decode("utf-8-sig")
    lines = text.split("\n")
    start = 0
    if lines[0].strip() == "---":
        start = next(i for i in range(1, len(lines)) if lines[i].strip() == "---") + 1
    model = Model()
    stack: list[tuple[str, int, bool]] = []  # fence char, length, literal (code) or directive
    for number, line in enumerate(lines[start:], start=start + 1):
        m = _FENCE.match(line)
        if stack and stack[-1][2]:  # inside code: only its closing fence counts
            char, length, _ = stack[-1]
            if m and m.group(2)[0] == char and len(m.group(2)) >= length and not m.group(3):
                stack.pop()
            continue
        if m:
            run, info = m.group(2), m.group(3).strip()
            if stack and run[0] == stack[-1][0] and len(run) >= stack[-1][1] and not info:
                stack.pop()
                continue
            name = re.match(r"\{([^}]+)\}", info)
            literal = name is None or name.group(1) in _LITERAL
            if name is None or name.group(1) in ("code-block", "code", "sourcecode"):
                model.fences.append((number, info if name is None else info[name.end() :]))
            stack.append((run[0], len(run), literal))
            continue
        h = _ATX.match(line)
        if h and not stack:
            model.headings.append((len(h.group(1)), h.group(2), number))
        elif not line.lstrip().startswith((":", "%", "<!--", "(")):
            model.prose.append((number, line))
    return model


def expected() -> dict[str, set[tuple[str, int]]]:
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    titles: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path in _markdown_pages():
        model = _model(path)
        heads = model.headings
        if not heads or heads[0][0] != 1:
            found["CQ001"].add((path, heads[0][2] if heads else 1))
        else:
            found["CQ001"] |= {(path, line) for level, _, line in heads[1:] if level == 1}
            titles[heads[0][1].casefold()].append((path, heads[0][2]))
        for (level, _, _), (next_level, _, line) in itertools.pairwise(heads):
            if next_level > level + 1:
                found["CQ002"].add((path, line))
        for line, info in model.fences:
            if not info.strip():
                found["CQ006"].add((path, line))
        for line, text in model.prose:
            text = re.sub(r"`[^`]*`", "", text)
            for alt, src in re.findall(r"!\[([^\]]*)\]\(([^)\s]*)", text):
                name = src.rsplit("/", 1)[-1].casefold()
                generic = ("", "image", "img", "picture", "screenshot", name, name.rsplit(".")[0])
                if alt.strip().casefold() in generic:
                    found["CQ003"].add((path, line))
            for label, target in re.findall(r"(?<!!)\[([^\]]*)\]\(([^)]*)\)", text):
                plain = re.sub(r"[*_`]", "", label).strip(" .!:").casefold()
                if plain in ("here", "click here", "link", "this link", "read more", "more"):
                    found["CQ004"].add((path, line))
                if not plain and target.startswith("http"):
                    found["CQ005"].add((path, line))
            placeholder = re.search(r"\b(TODO|FIXME|TBD|XXX)\b|(?i:lorem ipsum|coming soon)", text)
            if placeholder and not re.search(r"https?://\S*(TODO|FIXME|TBD|XXX)", text):
                found["CQ007"].add((path, line))
    for group in titles.values():
        if len(group) > 1:
            found["CQ008"] |= set(group)
    found.update(_frontmatter_expectations())
    return found


def _frontmatter_expectations() -> dict[str, set[tuple[str, int]]]:
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    tags: dict[str, Counter[str]] = defaultdict(Counter)  # normal form -> spelling -> pages
    items = []
    descriptions = defaultdict(list)
    for path in _markdown_pages():
        block, data = _split(path)
        if not data:
            continue
        for tag in data.get("tags") or []:
            norm = re.sub(r"[-_ ]", "", tag.casefold())
            norm = norm[:-1] if norm.endswith("s") else norm
            tags[norm][tag] += 1
            line = _item_line(block, "tags", tag)
            items.append((norm, tag, path, line))
        if isinstance(data.get("description"), str):
            line = next(i for i, text in enumerate(block) if text.startswith("description:"))
            descriptions[" ".join(data["description"].split()).casefold()].append((path, line + 2))
    for norm, tag, path, line in items:
        spellings = tags[norm]
        if len(spellings) > 1 and tag != min(spellings, key=lambda s: (-spellings[s], s)):
            found["CQ009"].add((path, line))
    for group in descriptions.values():
        if len(group) > 1:
            found["CQ010"] |= set(group)
    return found


@pytest.fixture(scope="module")
def reported() -> dict[str, set[tuple[str, int]]]:
    result = lint(LintRequest(paths=(CORPUS,), select=("CQ",), use_cache=False))
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for d in result.diagnostics:
        found[d.code].add((d.path, d.line))
    counts = Counter(d.code for d in result.diagnostics)
    assert dict(counts) == COUNTS
    return found


@pytest.mark.parametrize("code", [f"CQ{n:03d}" for n in range(1, 12)])
def test_corpus_findings(code: str, reported: dict[str, set[tuple[str, int]]]) -> None:
    assert reported.get(code, set()) == expected().get(code, set())
