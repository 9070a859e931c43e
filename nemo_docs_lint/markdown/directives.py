"""MyST directives in fences: options, toctree entries, image/figure paths, card links.

Shared by the fast path and the markdown-it reference: both hand a fence's opening line
and content Lines here, so directive-text semantics are defined in one place.
"""

from __future__ import annotations

import re

from ..model import LabelKind, Reference, RefKind, Span, TocEntry, Toctree
from . import domains
from .sink import Sink
from .syntax import EXPLICIT_TITLE, Fence, Line, strip_spaces

# {key: (value, line, offset of the value in the line's text)}
Options = dict[str, tuple[str, Line, int]]

_NAME = re.compile(r"\{([^}\s]+)\}[ \t]*")
_OPTION = re.compile(r"[ \t]*:([^:\s][^:]*?):(?:[ \t]+|$)")
_YAML_OPTION = re.compile(r"[ \t]*([A-Za-z][\w-]*)[ \t]*:(?:[ \t]+|$)")

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


def _yaml_options(body: list[Line]) -> tuple[Options, list[Line]]:
    """Options in the `---` YAML block opening `body`, and the lines after it: MyST ends
    the block at the next line starting with `---`, or takes the whole body."""
    opts: Options = {}
    for i in range(1, len(body)):
        t = body[i][2]
        if t.startswith("---"):
            return opts, body[i + 1 :]
        m = _YAML_OPTION.match(t)
        if m:
            val = t[m.end() :].rstrip()
            if len(val) >= 2 and val[0] == val[-1] and val[0] in "'\"":
                opts[m.group(1)] = (val[1:-1], body[i], m.end() + 1)
            else:
                opts[m.group(1)] = (val, body[i], m.end())
    return opts, []


def parse_options(body: list[Line]) -> tuple[Options, list[Line]]:
    """MyST directive options: leading `:key: value` lines or a `---` YAML block.

    Returns {key: (value, line, value_offset_in_line_text)} and the remaining body lines.
    """
    opts: Options = {}
    if not body:
        return opts, body
    if body[0][2].startswith("---"):
        return _yaml_options(body)
    i = 0
    # MyST's option block: the lines starting with ':', up to one opening a colon fence
    while i < len(body) and (s := body[i][2].lstrip()).startswith(":") and s.lstrip(":")[:1] != "{":
        t = body[i][2]
        m = _OPTION.match(t)
        if m:
            opts[m.group(1)] = (t[m.end() :].rstrip(), body[i], m.end())
        i += 1
    return opts, body[i:]


def _span(line: Line, offset: int, length: int) -> Span:
    col = line[1] + offset + 1
    return Span(line[0], col, line[0], col + length)


def build_toctree(opening: Line, opts: Options, body: list[Line]) -> Toctree:
    """A toctree from its opening line, options and entry lines (MyST and reST alike)."""
    entries = []
    for line in body:
        t = line[2]
        s = t.strip()
        if not s:
            continue
        lead = len(t) - len(t.lstrip())
        m = EXPLICIT_TITLE.match(s)
        if m:
            title: str | None = m.group(1)
            target = m.group(2)
            off = lead + m.start(2)
        else:
            title, target, off = None, s, lead
        entries.append(TocEntry(target, title, _span(line, off, len(target))))
    maxdepth = opts["maxdepth"][0].strip() if "maxdepth" in opts else ""
    caption = opts.get("caption")
    return Toctree(
        span=_span(opening, 0, len(opening[2].rstrip())),
        entries=tuple(entries),
        glob="glob" in opts,
        hidden="hidden" in opts,
        caption=caption[0].strip() if caption else None,
        maxdepth=int(maxdepth) if maxdepth.lstrip("-").isdigit() else None,
    )


def _argument_reference(
    out: Sink, name: str, fence: Line, arg: str, off: int, opts: Options
) -> None:
    """The path argument of `image`/`figure` and the target of `button-link`/`button-ref`."""
    target = arg.strip()
    if not target:
        return
    span = _span(fence, off, len(target))
    if name == "image":
        out.reference(Reference(RefKind.IMAGE_DIRECTIVE, target, span))
    elif name == "figure":
        out.reference(Reference(RefKind.FIGURE_DIRECTIVE, target, span))
    elif name == "button-link":
        out.reference(Reference(RefKind.CARD_LINK, target, span, "url"))
    else:
        link_type = opts["ref-type"][0].strip() if "ref-type" in opts else "any"
        out.reference(Reference(RefKind.CARD_LINK, target, span, link_type))


# Directives whose argument is a title Sphinx gives their `:name:` label.
_TITLE_ARGUMENT = frozenset(
    {"table", "list-table", "csv-table", "dropdown", "admonition", "topic", "sidebar", "rubric"}
)


def is_titled(name: str, arg: str, opts: Options, content: list[Line]) -> bool:
    """Whether a directive gives a label on it a title (`{ref}` without one then works)."""
    if name in ("figure", "figure-md"):
        return any(t.strip() for _, _, t in content)  # a caption (approximately: any body)
    if name in ("code-block", "code", "sourcecode", "literalinclude"):
        return "caption" in opts
    return name in _TITLE_ARGUMENT and bool(arg.strip())


def _option_targets(out: Sink, opts: Options, titled: bool) -> None:
    """The `:link:` card target and the `:name:` label of any directive."""
    if "link" in opts:
        value, line, off = opts["link"]
        target = value.strip()
        if target:
            lt = opts.get("link-type")
            link_type = lt[0].strip() if lt else None
            out.reference(
                Reference(RefKind.CARD_LINK, target, _span(line, off, len(target)), link_type)
            )
    if "name" in opts:
        value, line, off = opts["name"]
        if value.strip():
            kind = LabelKind.LABEL if titled else LabelKind.UNTITLED
            out.label(value.strip(), line[0], line[1] + off, kind)


_ARGUMENT_DIRECTIVES = frozenset({"image", "figure", "button-link", "button-ref"})


def handle_fence(out: Sink, fence: Fence, body: list[Line]) -> list[Line] | None:
    """Process one fenced block (code or directive); return the directive body to parse as
    MyST Markdown, if any."""
    m = _NAME.match(fence.info)
    if m is None:
        out.settle(False)
        return None
    name = m.group(1)
    ftext = fence.line[2]
    run = fence.run
    arg = fence.info[m.end() :]
    # the argument is stripped as Python strips (MyST splits it with str.split)
    arg_off = run + (len(ftext) - run - len(ftext[run:].lstrip())) + m.end()
    arg_off += len(arg) - len(arg.lstrip())
    if fence.indent:
        body = [strip_spaces(ln, fence.indent) for ln in body]
    opts, content = parse_options(body)
    titled = is_titled(name, arg, opts, content)
    out.settle(titled)
    if name == "toctree":
        out.toctree(build_toctree(fence.line, opts, content))
    elif name in _ARGUMENT_DIRECTIVES:
        _argument_reference(out, name, fence.line, arg, arg_off, opts)
    if opts:
        _option_targets(out, opts, titled)
    if name in domains.HANDLERS:
        return domains.HANDLERS[name](
            out, domains.Directive(name, fence.line, arg, arg_off, opts, content)
        )
    if name not in LITERAL_DIRECTIVES and content:
        return content
    return None
