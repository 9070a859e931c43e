"""The oracle: the same ParsedBody computed from markdown-it-py + MyST plugin tokens.

Used only by tests and benchmarks. Directive bodies (which markdown-it returns as raw fence
text) are re-parsed recursively, as MyST does; directive *text* (options, toctree entries,
card links) is interpreted by the shared `directives` module. Only line numbers are
authoritative here: markdown-it tokens carry no columns.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Comment, Heading, Label, LabelKind, ParsedBody, Reference, RefKind, Span
from .collect import Collector, prose_marks
from .directives import handle_fence
from .inline import ROLE_KINDS, Hit, html_hits
from .mdit import build_myst_markdown_it
from .slugs import plain_text
from .syntax import EXPLICIT_TITLE, Fence, Line, role_target, role_title


def _at(line: int) -> Span:
    return Span(line, 1, line, 1)


class _RefCollector(Collector):
    def __init__(self) -> None:
        super().__init__()
        md = build_myst_markdown_it().disable("front_matter")
        for name, rule in _SPACED_NEWLINES.items():
            md.inline.ruler.at(name, _counting_newlines(rule))
        md.options.update({"store_labels": True, "inline_definitions": True})
        self.md = md
        self.env: dict[str, Any] = {}
        self.heading_texts: list[tuple[int, str, int, bool]] = []

    def nested(self, lines: list[Line]) -> None:
        """Parse a directive body (recursively: the oracle is for tests, not deep input)."""
        self.enter()
        self.parse("\n".join(t for _, _, t in lines), lines[0][0] - 1)
        self.leave()

    def _html(self, html: str, line: int) -> None:
        hits: list[Hit] = []
        comments: list[Hit] = []
        html_hits(html, 0, hits, comments)
        for kind, target, a, _, ta, tb in hits:
            at = _at(line + html.count("\n", 0, a))
            if ta < 0:
                self.references.append(Reference(RefKind(kind), target, at))
            else:
                text = html[ta:tb].strip()
                self.references.append(Reference(RefKind(kind), target, at, None, text, at))
        for _, text, a, _, _, _ in comments:
            self.comments.append(Comment(text, _at(line + html.count("\n", 0, a))))

    def _inline(self, children: list[Any], line: int) -> None:
        for k, tok in enumerate(children):
            typ = tok.type
            if typ in ("softbreak", "hardbreak"):
                line += 1
            elif typ == "link_open":
                after = line + _text_lines(children, k)  # (its attributes come after its text)
                if "label" in tok.meta:  # reference-style usage: reported at its definition
                    self._attr_id(tok, after)  # (its `{#id}` is a label all the same)
                    continue
                href = str(tok.attrGet("href") or "")
                kind = RefKind.LINK
                if tok.markup == "autolink":
                    shown = children[k + 1].content if k + 1 < len(children) else ""
                    if href == "mailto:" + shown:
                        continue  # email autolink
                    if not href.startswith(("project:", "path:")):
                        kind = RefKind.AUTOLINK
                external = "external" in str(tok.attrGet("class") or "").split()
                link_type = "external" if external and kind is RefKind.LINK else None
                # the fast path reports the target, after the text (which may span lines)
                at = _at(after)
                if tok.markup == "autolink":
                    self.references.append(Reference(kind, href, at, link_type))
                else:
                    text = plain_text(_link_body(children, k), images=True)
                    self.references.append(Reference(kind, href, at, link_type, text, _at(line)))
                self._attr_id(tok, after)
            elif typ == "image":
                if "label" not in tok.meta:
                    src = str(tok.attrGet("src"))
                    at = _at(line + _breaks(tok.children or []))
                    alt = plain_text(tok.children or [], images=True)
                    self.references.append(Reference(RefKind.IMAGE, src, at, None, alt, _at(line)))
                self._attr_id(tok, line + _breaks(tok.children or []))
                line += _breaks(tok.children or [])  # (alt text over lines: those after it)
            elif typ == "span_open":
                self._attr_id(tok, line + _text_lines(children, k))
            elif typ == "myst_role":
                role_kind = ROLE_KINDS.get(tok.meta.get("name", ""))
                if role_kind is not None:
                    target, offset = role_target(tok.content, 0)
                    titled = "title" if EXPLICIT_TITLE.match(tok.content) else None
                    title = role_title(tok.content, offset)
                    at = _at(line)
                    if title is None:
                        self.references.append(Reference(RefKind(role_kind), target, at, titled))
                    else:
                        role_text = tok.content[title[0] : title[1]]
                        self.references.append(
                            Reference(RefKind(role_kind), target, at, titled, role_text, at)
                        )
            elif typ == "html_inline":
                self._html(tok.content, line)
                line += tok.content.count("\n")
            if typ == "math_inline":
                line += tok.content.count("\n")  # (a newline inside: the lines after it)
            elif typ == "code_inline" or typ == "myst_role":
                line += tok.meta.get("newlines", 0)

    def _attr_id(self, tok: Any, line: int) -> None:
        if tok.attrGet("id"):
            self.labels.append(Label(str(tok.attrGet("id")), _at(line), LabelKind.ATTR_UNTITLED))

    def parse(self, text: str, offset: int) -> None:
        """Parse `text` whose first line is 0-based line `offset` of the file."""
        tokens = self.md.parse(text, self.env)
        source = text.split("\n")
        glossary = 0  # nesting depth inside `{.glossary}` definition lists
        for i, tok in enumerate(tokens):
            typ = tok.type
            line = (tok.map[0] if tok.map else 0) + offset + 1
            if tok.map and typ != "inline" and typ not in ("fence", "colon_fence"):
                # (a definition makes no node: Sphinx titles a label above it by the heading)
                if typ not in ("myst_target", "myst_line_comment", "definition"):
                    self.settle(typ == "heading_open")  # the block after `(label)=` lines
                if tok.attrGet("id"):  # attrs_block: the `{#id}` line above the block
                    kind = LabelKind.ATTR if typ == "heading_open" else LabelKind.ATTR_UNTITLED
                    name = str(tok.attrGet("id"))
                    at = _attrs_line(source, tok.map[0] - 1, name) + offset + 1
                    self.labels.append(Label(name, _at(at), kind))
            if typ == "dl_open" and (glossary or "glossary" in str(tok.attrGet("class") or "")):
                glossary += 1
            elif typ == "dl_close" and glossary:
                glossary -= 1
            elif typ == "dt_open" and glossary:
                term = tokens[i + 1].content.strip()
                if term:
                    self.labels.append(Label(term, _at(line), LabelKind.ATTR_TERM))
            elif typ == "math_block_label":
                assert tok.map is not None
                self.labels.append(Label(tok.info, _at(offset + tok.map[1]), LabelKind.EQUATION))
            if typ == "heading_open":
                inline = tokens[i + 1]
                text_ = "".join(
                    c.content for c in inline.children or [] if c.type in ("text", "code_inline")
                )
                self.heading_texts.append((int(tok.tag[1]), text_, line, self.depth > 0))
            elif typ == "table_open" and tok.map:  # the fast path reads a table as a paragraph
                self.prose += (tok.map[0] + offset + 1, tok.map[1] + offset)
            elif typ == "inline":
                if tok.map:  # (a definition list's term has an empty map: its one line)
                    first = tok.map[0] + offset + 1
                    self.prose += (first, max(first, tok.map[1] + offset))
                if tok.map and i and tokens[i - 1].type in ("paragraph_open", "heading_open"):
                    line += _stripped_lines(source, tok.map[0], tok.map[1])
                self._inline(tok.children or [], line)
            elif typ == "definition":
                if tok.meta["id"] not in self.defined:
                    self.defined.add(tok.meta["id"])
                    self.references.append(Reference(RefKind.LINK, tok.meta["url"], _at(line)))
            elif typ == "html_block":
                self._html(tok.content, line)
            elif typ == "myst_target":
                self.pending.append(len(self.labels))
                self.labels.append(Label(tok.content, _at(line)))
            elif typ in ("fence", "colon_fence"):
                body = tok.content.split("\n")
                if body and body[-1] == "":
                    body.pop()
                lines = [(line + 1 + k, 0, t) for k, t in enumerate(body)]
                opening = (line, 0, tok.markup + tok.info)
                fence = Fence(opening, tok.markup[0], len(tok.markup), 0, tok.info.strip())
                content = handle_fence(self, fence, lines)
                if content:
                    self.nested(content)


def _attrs_line(source: list[str], k: int, name: str) -> int:
    """The 0-based line of the attributes line giving `#name` to the block below line `k`
    (blank lines and other attributes lines may come between)."""
    while k > 0 and ("#" + name not in source[k] or "{" not in source[k]):
        k -= 1
    return k


def _breaks(tokens: list[Any]) -> int:
    """Line breaks inside inline tokens (soft and hard breaks, raw HTML newlines)."""
    n = 0
    for tok in tokens:
        if tok.type in ("softbreak", "hardbreak"):
            n += 1
        elif tok.type == "html_inline":
            n += tok.content.count("\n")
        elif tok.type == "code_inline" or tok.type == "myst_role":
            n += tok.meta.get("newlines", 0)
    return n


def _counting_newlines(rule: Any) -> Any:
    """markdown-it inline `rule` (code spans, roles: their content has newlines as spaces),
    noting in its token's meta the newlines of its source: the lines after it."""

    def counting(state: Any, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found: bool = rule(state, silent)
        if found and len(state.tokens) > count:
            state.tokens[-1].meta["newlines"] = state.src.count("\n", start, state.pos)
        return found

    return counting


def _spaced_newline_rules() -> dict[str, Any]:
    from markdown_it.rules_inline import backtick
    from mdit_py_plugins.myst_role.index import myst_role

    return {"backticks": backtick, "myst_role": myst_role}


_SPACED_NEWLINES = _spaced_newline_rules()


def _text_lines(children: list[Any], k: int) -> int:
    """Line breaks in the text of the link or span opened by `children[k]`."""
    depth = 0
    opening = children[k].type
    closing = opening[:-4] + "close"
    for end in range(k, len(children)):
        if children[end].type == opening:
            depth += 1
        elif children[end].type == closing:
            depth -= 1
            if not depth:
                return _breaks(children[k:end])
    return 0


# Container markers before a paragraph's text: blockquote '>', list item and definition
# markers.
_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[-+*:~](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])))*")


def _stripped_lines(source: list[str], start: int, end: int) -> int:
    """Leading lines of a paragraph or setext heading markdown-it-py's `str.strip` of its
    content drops (lines of no-break spaces and the like), which its token map counts."""
    k = 0
    while start + k < end - 1 and not _MARKERS.sub("", source[start + k]).strip():
        k += 1
    return k


def _oracle_slugs(items: list[tuple[int, str]], depth: int) -> list[str]:
    """`slugs.heading_slugs` computed with mdit_py_plugins.anchors' own functions."""
    from mdit_py_plugins.anchors.index import slugify, unique_slug

    seen: set[str] = set()
    return [unique_slug(slugify(t), seen) if 0 < lv <= depth else "" for lv, t in items]


def parse_markdown_reference(
    text: str, body_start_line: int, heading_anchor_depth: int
) -> ParsedBody:
    """Like `parse_markdown`, from markdown-it-py tokens (spans hold lines only)."""
    out = _RefCollector()
    lines = text.split("\n")
    start = max(body_start_line, 1)
    out.parse("\n".join(lines[start - 1 :]), start - 1)
    out.settle(False)
    slugs = _oracle_slugs([(lv, t) for lv, t, _, _ in out.heading_texts], heading_anchor_depth)
    headings = tuple(
        Heading(lv, t, s, _at(ln), nested)
        for (lv, t, ln, nested), s in zip(out.heading_texts, slugs, strict=True)
    )
    return ParsedBody(
        references=tuple(out.references),
        labels=tuple(out.labels),
        headings=headings,
        toctrees=tuple(out.toctrees),
        comments=tuple(out.comments),
        title=headings[0].text if headings else None,
        code_blocks=tuple(out.code_blocks),
        prose=tuple(out.prose),
        prose_marks=prose_marks(lines, tuple(out.prose)),
        includes=tuple(out.includes),
    )


def _link_body(children: list[Any], k: int) -> list[Any]:
    """The tokens between the `link_open` at `k` and its `link_close`."""
    depth, end = 0, k + 1
    while end < len(children):
        typ = children[end].type
        if typ == "link_open":
            depth += 1
        elif typ == "link_close":
            if depth == 0:
                break
            depth -= 1
        end += 1
    return children[k + 1 : end]
