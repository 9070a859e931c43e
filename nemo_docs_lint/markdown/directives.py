"""MyST directives in fences: options, toctree entries, image/figure paths, card links.

Shared by the fast path and the markdown-it reference: both hand a fence's opening line
and content Lines here, so directive-text semantics are defined in one place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Label, Reference, RefKind, Span, TocEntry, Toctree

if TYPE_CHECKING:
    from .collect import Collector

Line = tuple[int, int, str]

_NAME = re.compile(r"\{([^}\s]+)\}[ \t]*")
_OPTION = re.compile(r"[ \t]*:([^:\s][^:]*?):(?:[ \t]+|$)")
_YAML_OPTION = re.compile(r"[ \t]*([A-Za-z][\w-]*)[ \t]*:(?:[ \t]+|$)")
# Sphinx's explicit_title_re.
_EXPLICIT = re.compile(r"^(.+?)\s*(?<!\x00)<([^<]*?)>$", re.DOTALL)

# Directives whose bodies are not MyST Markdown (code, math, diagrams, other markup).
LITERAL_DIRECTIVES = frozenset(
    {
        "code",
        "code-block",
        "sourcecode",
        "code-cell",
        "literalinclude",
        "math",
        "mermaid",
        "raw",
        "graphviz",
        "eval-rst",
        "testcode",
        "testoutput",
        "testsetup",
        "testcleanup",
        "doctest",
        "csv-table",
        "parsed-literal",
        "highlight",
        "jupyter-execute",
        "ipython",
        "plantuml",
        "autodoc2-docstring",
        "toctree",
    }
)


def _strip_cols(line: Line, cols: int) -> Line:
    n, c, t = line
    i = 0
    while i < len(t) and i < cols and t[i] == " ":
        i += 1
    return (n, c + i, t[i:])


def parse_options(body: list[Line]) -> tuple[dict[str, tuple[str, Line, int]], list[Line]]:
    """MyST directive options: leading `:key: value` lines or a `---` YAML block.

    Returns {key: (value, line, value_offset_in_line_text)} and the remaining body lines.
    """
    opts: dict[str, tuple[str, Line, int]] = {}
    if not body:
        return opts, body
    if body[0][2].strip() == "---":
        for i in range(1, len(body)):
            t = body[i][2]
            if t.strip() == "---":
                return opts, body[i + 1 :]
            m = _YAML_OPTION.match(t)
            if m:
                val = t[m.end() :].rstrip()
                if len(val) >= 2 and val[0] == val[-1] and val[0] in "'\"":
                    opts[m.group(1)] = (val[1:-1], body[i], m.end() + 1)
                else:
                    opts[m.group(1)] = (val, body[i], m.end())
        return {}, body
    i = 0
    while i < len(body) and body[i][2].lstrip().startswith(":"):
        t = body[i][2]
        m = _OPTION.match(t)
        if m:
            opts[m.group(1)] = (t[m.end() :].rstrip(), body[i], m.end())
        i += 1
    return opts, body[i:]


def _span(line: Line, offset: int, length: int) -> Span:
    col = line[1] + offset + 1
    return Span(line[0], col, line[0], col + length)


def _toctree(out: Collector, opening: Line, opts: dict, body: list[Line]) -> None:
    entries = []
    for line in body:
        t = line[2]
        s = t.strip()
        if not s:
            continue
        lead = len(t) - len(t.lstrip())
        m = _EXPLICIT.match(s)
        if m:
            title, target = m.group(1), m.group(2)
            off = lead + m.start(2)
        else:
            title, target, off = None, s, lead
        entries.append(TocEntry(target, title, _span(line, off, len(target))))
    maxdepth = opts.get("maxdepth", ("",))[0].strip()
    caption = opts.get("caption")
    out.toctrees.append(
        Toctree(
            span=_span(opening, 0, len(opening[2].rstrip())),
            entries=tuple(entries),
            glob="glob" in opts,
            hidden="hidden" in opts,
            caption=caption[0].strip() if caption else None,
            maxdepth=int(maxdepth) if maxdepth.lstrip("-").isdigit() else None,
        )
    )


def handle_fence(
    out: Collector, opening: tuple[Line, str, int, int, str], body: list[Line]
) -> None:
    """Process one fenced block (code or directive) ending the block scanner's fence leaf."""
    fence_line, _ch, run, indent, info = opening
    m = _NAME.match(info)
    if m is None:
        return
    name = m.group(1)
    ftext = fence_line[2]
    arg = info[m.end() :]
    arg_off = run + (len(ftext) - run - len(ftext[run:].lstrip())) + m.end()
    if indent:
        body = [_strip_cols(ln, indent) for ln in body]
    opts, content = parse_options(body)
    if name == "toctree":
        _toctree(out, fence_line, opts, content)
    elif name in ("image", "figure") and arg.strip():
        kind = RefKind.IMAGE_DIRECTIVE if name == "image" else RefKind.FIGURE_DIRECTIVE
        target = arg.strip()
        out.references.append(Reference(kind, target, _span(fence_line, arg_off, len(target))))
    elif name in ("button-link", "button-ref") and arg.strip():
        target = arg.strip()
        if name == "button-link":
            link_type = "url"
        else:
            link_type = opts["ref-type"][0].strip() if "ref-type" in opts else "any"
        out.references.append(
            Reference(RefKind.CARD_LINK, target, _span(fence_line, arg_off, len(target)), link_type)
        )
    if "link" in opts:
        value, line, off = opts["link"]
        target = value.strip()
        if target:
            lt = opts.get("link-type")
            out.references.append(
                Reference(
                    RefKind.CARD_LINK,
                    target,
                    _span(line, off, len(target)),
                    lt[0].strip() if lt else None,
                )
            )
    if "name" in opts:
        value, line, off = opts["name"]
        if value.strip():
            out.labels.append(Label(value.strip(), _span(line, off, len(value.strip()))))
    if name not in LITERAL_DIRECTIVES and content:
        out.nested(content)
