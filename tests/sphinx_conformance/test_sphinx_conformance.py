"""Sphinx is the oracle: on a tree that uses all of MyST, the linter reports what Sphinx reports.

`docs/` holds one small page per construct (and one per way of breaking it): labels with `/`,
`.` and `:`, role titles without a space, includes (with `:start-after:`, `:end-before:`,
`:heading-offset:`, inside `{eval-rst}`), attribute ids, glossaries, `:name:`d directives and
`{figure-md}`, equations, `{eval-rst}` labels, Python objects, intersphinx, autosummary output,
custom URL schemes, `<project:>`/`<path:>`, reference-style links, footnotes, `.rst` roles.

One real build (`sphinx-build -b dummy -n`, Sphinx 9 + myst-parser 5 + sphinx-design, offline:
the intersphinx inventory is a file written here) gives Sphinx's warnings; each maps through
CATEGORY_CODES to our codes and must be matched by one of our findings in the same file on the
same line, and we may report nothing Sphinx does not, except BLIND_SPOTS (each with its reason).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from nemo_docs_lint.engine import LintRequest, lint

DOCS = Path(__file__).resolve().parent / "docs"

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("sphinx", "myst_parser", "sphinx_design")),
    reason="Sphinx, myst-parser or sphinx-design missing: pip install -e '.[oracle]'",
)

# Sphinx warning type (the `[type.subtype]` suffix, or a message prefix) -> our codes.
CATEGORY_CODES: dict[str, frozenset[str]] = {
    "toc.not_included": frozenset({"TOC002"}),
    "toc.not_readable": frozenset({"TOC001"}),
    "toc.excluded": frozenset({"TOC001"}),
    "toc.glob": frozenset({"TOC001"}),
    "ref.ref": frozenset({"LNK003"}),
    "ref.numref": frozenset({"LNK003"}),
    "ref.term": frozenset({"LNK003"}),
    "ref.eq": frozenset({"LNK003"}),
    "ref.any": frozenset({"LNK003"}),
    "myst.iref_missing": frozenset({"LNK003"}),
    "ref.doc": frozenset({"LNK001"}),
    "myst.xref_missing": frozenset({"LNK001", "LNK002"}),
    "myst.xref_missing.local-id": frozenset({"LNK002"}),
    "image.not_readable": frozenset({"LNK004"}),
    "download.not_readable": frozenset({"LNK001"}),
    "duplicate-label": frozenset({"LNK006"}),
}
# Sphinx warnings about things no rule of ours mirrors: heading levels, front matter keys, and
# `{py:...}` roles naming undeclared objects, which only nitpicky builds (`-n`) report and which
# mostly name objects autodoc documents from code (as in the shared corpus's oracle).
IGNORED_CATEGORIES = frozenset(
    {"myst.header", "myst.topmatter", "ref.class", "ref.func", "ref.meth", "ref.mod", "ref.obj"}
)
COMPARED_CODES = frozenset().union(*CATEGORY_CODES.values())

# (path, code, line) the linter reports and Sphinx does not, with why the linter is right.
BLIND_SPOTS: dict[tuple[str, str, int], str] = {
    ("pages/html.md", "LNK001", 5): "raw HTML is passed through: Sphinx never checks an <a href>",
    ("pages/html.md", "LNK004", 7): "raw HTML is passed through: Sphinx never checks an <img src>",
}

# The inventory the tree's `intersphinx_mapping` names (`_inv/ext.inv`, a local file: offline).
INVENTORY = [
    ("ext-label", "std:label", "labels.html#$", "External label"),
    ("ext/page", "std:doc", "ext/page.html", "External page"),
]

_WARNING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+)?:? WARNING: (?P<message>.*?)(?: \[(?P<type>[\w.-]+)\])?$"
)


@dataclass(frozen=True)
class SphinxFinding:
    path: str
    line: int | None
    category: str
    message: str


def write_inventory(path: Path) -> None:
    """An `objects.inv` (version 2) as Sphinx writes it: four header lines, zlib-compressed body."""
    header = (
        "# Sphinx inventory version 2\n# Project: ext\n# Version: 1.0\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} -1 {uri} {title}\n" for name, role, uri, title in INVENTORY)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + zlib.compress(body.encode()))


def parse_warnings(text: str, srcdir: Path) -> list[SphinxFinding]:
    findings = []
    prefix = str(srcdir) + "/"
    for raw in text.splitlines():
        match = _WARNING.match(raw.replace(prefix, ""))
        if match is None:
            continue  # continuation lines of a multi-line message
        message = match["message"]
        category = match["type"] or ""
        if message.startswith("duplicate label"):
            category = "duplicate-label"
        elif message.startswith("toctree glob pattern"):
            category = "toc.glob"  # Sphinx gives this warning no type
        elif category == "myst.xref_missing" and message.startswith("local id not found"):
            category = "myst.xref_missing.local-id"
        line = int(match["line"]) if match["line"] else None
        findings.append(SphinxFinding(match["path"], line, category, message))
    return findings


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[SphinxFinding], list[tuple]]:
    """Lint a pristine copy of the tree, then build it once with Sphinx; both findings lists."""
    src = tmp_path_factory.mktemp("conformance") / "docs"
    shutil.copytree(DOCS, src)
    write_inventory(src / "_inv/ext.inv")
    request = LintRequest(paths=(src,), select=tuple(sorted(COMPARED_CODES)), use_cache=False)
    ours = [(d.path, d.code, d.line, d.message) for d in lint(request, cwd=src).diagnostics]
    warnings = src.parent / "warnings.txt"
    command = [sys.executable, "-m", "sphinx", "-b", "dummy", "-n", "-q", "-w", str(warnings)]
    done = subprocess.run(
        [*command, str(src), str(src.parent / "_build")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return parse_warnings(warnings.read_text(encoding="utf-8"), src), ours


def test_the_tree_is_large_and_sphinx_finds_what_we_planted(built) -> None:
    sphinx, _ = built
    pages = [p for p in DOCS.rglob("*") if p.suffix in (".md", ".rst")]
    assert len(pages) >= 80
    unknown = {f.category for f in sphinx} - set(CATEGORY_CODES) - IGNORED_CATEGORIES
    assert not unknown, f"Sphinx warning types the comparison does not map: {unknown}"
    compared = [f for f in sphinx if f.category in CATEGORY_CODES]
    assert len(compared) >= 40
    assert {f.category for f in compared} == set(CATEGORY_CODES) - {"toc.excluded"}


def _sphinx_target(finding: SphinxFinding) -> str | None:
    """The target a warning names: its last quoted word (or a duplicate label's name)."""
    if finding.category == "duplicate-label":
        return finding.message.split()[2].rstrip(",")
    quoted = re.findall(r"'([^']*)'", finding.message)
    if quoted:
        return quoted[-1]
    bare = re.search(r": (\S+)$", finding.message)
    return bare[1] if bare else None


def _our_target(message: str) -> str | None:
    quoted = re.search(r"`([^`]*)`", message)
    return quoted[1] if quoted else None


def test_linter_and_sphinx_agree_finding_for_finding(built) -> None:
    """Same file, a mapped code and the same line; where Sphinx reports another line than ours
    (a toctree's or card's directive line, a reference-style link's paragraph, a label's section
    title), the same file, code and target."""
    sphinx, ours = built
    unmatched = list(ours)
    missing = []
    pending = []
    for finding in sphinx:
        codes = CATEGORY_CODES.get(finding.category)
        if codes is None:
            continue
        match = next(
            (
                o
                for o in unmatched
                if o[0] == finding.path
                and o[1] in codes
                and (finding.line is None or o[2] == finding.line)
            ),
            None,
        )
        if match is None:
            pending.append(finding)
        else:
            unmatched.remove(match)
    for finding in pending:
        codes = CATEGORY_CODES[finding.category]
        target = _sphinx_target(finding)
        match = next(
            (
                o
                for o in unmatched
                if o[0] == finding.path and o[1] in codes and _our_target(o[3]) == target
            ),
            None,
        )
        if match is None:
            missing.append(finding)
        else:
            unmatched.remove(match)
    extra = [o for o in unmatched if o[:3] not in BLIND_SPOTS]
    report = "\n".join(
        [f"Sphinx only: {f.path}:{f.line} [{f.category}] {f.message}" for f in missing]
        + [f"linter only: {path}:{line} {code} {message}" for path, code, line, message in extra]
    )
    assert not missing and not extra, "\n" + report
