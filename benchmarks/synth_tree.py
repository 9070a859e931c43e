"""Generate a large docs tree from a real one: N copies under `copy-NN/`, links kept valid.

Relative links stay valid by themselves. `/`-absolute targets (links, roles, images, card links,
toctree entries) get the copy's prefix; `(label)=` targets get a per-copy suffix, and references
to them follow, so that labels stay unique. The new root `index.md` has a toctree listing every
`copy-NN/index`; the source's conf.py becomes the new root's. Only the files the linter would see
are copied (the source's exclusions applied).

Usage: python benchmarks/synth_tree.py SOURCE_DOCS OUT_DIR [--copies 38]
"""

from __future__ import annotations

import argparse
import posixpath
import shutil
from pathlib import Path
from typing import NamedTuple

from nemo_docs_lint.discover import discover, load_sphinx_conf
from nemo_docs_lint.model import RefKind
from nemo_docs_lint.parse import parse_text
from nemo_docs_lint.source import SourceText, read_source

_LABEL_REFS = {RefKind.REF_ROLE}
_PATH_PREFIXES = ("project:", "path:")


def generate(source: Path, out: Path, copies: int = 38) -> int:
    """Write the tree under `out` (which must not exist); return the number of pages."""
    source = source.resolve()
    conf = load_sphinx_conf(source)
    found = discover(source, conf)
    depth = conf.heading_anchor_depth
    documents = {doc.path for doc in found.documents}
    docnames = {doc.docname for doc in found.documents}
    parsed: dict[str, tuple[str, list[tuple[int, int, int, str]]]] = {}
    labels: set[str] = set()
    for doc in found.documents:
        decoded = read_source(doc.absolute)
        if not isinstance(decoded, SourceText):
            continue
        _, body = parse_text(decoded.text, doc.path.endswith(".md"), depth)
        labels.update(label.name for label in body.labels)
        parsed[doc.path] = (decoded.text, _edits(body))
    out.mkdir(parents=True)
    shutil.copy2(source / "conf.py", out / "conf.py")
    pages = 1
    for number in range(1, copies + 1):
        prefix = f"copy-{number:02d}"
        for rel in found.files:
            target = out / prefix / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in parsed:
                text, edits = parsed[rel]
                context = _Context(rel, prefix, labels, docnames)
                text = _apply(text, edits, context)
                if rel.endswith(".md"):  # unique content per copy, as in a real tree
                    text += f"\n<!-- synthetic {prefix} -->\n"
                target.write_text(text, encoding="utf-8")
                pages += 1
            elif rel != "conf.py" and rel not in documents:
                shutil.copy2(source / rel, target)
    root = conf.root_doc
    entries = "\n".join(f"copy-{n:02d}/{root}" for n in range(1, copies + 1))
    (out / f"{root}.md").write_text(
        "---\norphan: false\n---\n\n# Synthetic tree\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n",
        encoding="utf-8",
    )
    return pages


def _edits(body) -> list[tuple[int, int, int, str]]:
    """(line, column, end column, kind) of every target text that may need rewriting."""
    edits = []
    for ref in body.references:
        kind = "label" if ref.kind in _LABEL_REFS or ref.link_type == "ref" else "path"
        if ref.span.line == ref.span.end_line:
            edits.append((ref.span.line, ref.span.column, ref.span.end_column, kind))
    for label in body.labels:
        span = label.span
        edits.append((span.line, span.column, span.end_column, "label-def"))
    for toctree in body.toctrees:
        for entry in toctree.entries:
            span = entry.span
            edits.append((span.line, span.column, span.end_column, "path"))
    return edits


class _Context(NamedTuple):
    path: str  # of the page being copied, relative to the source root
    prefix: str  # copy-NN
    labels: set[str]
    docnames: set[str]


def _apply(text: str, edits: list[tuple[int, int, int, str]], context: _Context) -> str:
    lines = text.split("\n")
    for line, column, end, kind in sorted(edits, reverse=True):
        row = lines[line - 1]
        old = row[column - 1 : end - 1]
        new = _rewrite(old, kind, context)
        if new != old:
            lines[line - 1] = row[: column - 1] + new + row[end - 1 :]
    return "\n".join(lines)


def _rewrite(target: str, kind: str, context: _Context) -> str:
    prefix, labels = context.prefix, context.labels
    suffix = f"-{prefix}"
    if kind == "label-def":
        return target + suffix if target in labels else target
    if kind == "label":
        return target + suffix if target in labels else target
    for scheme in _PATH_PREFIXES:
        if target.startswith(scheme + "/"):
            return f"{scheme}/{prefix}{target[len(scheme) :]}"
    if target.startswith("/") and not target.startswith("//"):
        return f"/{prefix}{target}"
    if target in labels:  # [text](label): a MyST reference to a label
        return target + suffix
    path, hash_, fragment = target.partition("#")
    if hash_ and fragment in labels:
        fragment += suffix
    if path and ":" not in path:
        # Sphinx clamps a docname that climbs above the root to the root: keep that in the copy.
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(context.path), path))
        if joined.startswith("../"):
            clamped = joined
            while clamped.startswith("../"):
                clamped = clamped[3:]
            docnames = context.docnames
            if clamped in docnames or posixpath.splitext(clamped)[0] in docnames:
                path = f"/{prefix}/{clamped}"
    return f"{path}{hash_}{fragment}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, default=38)
    args = parser.parse_args()
    print(f"{generate(args.source, args.out, args.copies)} pages written to {args.out}")


if __name__ == "__main__":
    main()
