"""Directives that define named targets or pull in other files.

`{include}` (an `Include`), `{figure-md} NAME`, `{glossary}` terms, `{math}` `:label:`s,
Python objects (`{py:class}`, `{py:function}`, ..., `{autodoc2-object}`; `{py:module}` and
`{py:currentmodule}` set the module of those that follow) and `{eval-rst}` bodies (reST,
handed to the sink). Each handler returns the body to scan as MyST Markdown, if any. Shared
by the fast path and the markdown-it reference, like `directives`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from ..model import Include, LabelKind, Span
from .sink import Sink
from .syntax import Line

Body = list[Line] | None  # a directive body the scanner is to parse as MyST next


class Directive(NamedTuple):
    name: str
    line: Line  # the opening line
    argument: str
    argument_offset: int  # of the argument in the opening line's text
    options: dict[str, tuple[str, Line, int]]  # {key: (value, line, value offset)}
    content: list[Line]


def make_include(target: str, span: Span, opts: dict[str, tuple[str, Line, int]]) -> Include:
    """An include (MyST's or reST's) with the options that slice and shift it."""
    offset = opts["heading-offset"][0].strip() if "heading-offset" in opts else "0"

    def line(key: str) -> int | None:
        value = opts[key][0].strip() if key in opts else ""
        return int(value) if value.lstrip("-").isdigit() else None

    return Include(
        target,
        span,
        opts["start-after"][0] if "start-after" in opts else None,
        opts["end-before"][0] if "end-before" in opts else None,
        int(offset) if offset.isdigit() else 0,
        parsed="literal" not in opts and "code" not in opts,
        start_line=line("start-line"),
        end_line=line("end-line"),
    )


def _include(out: Sink, d: Directive) -> Body:
    target = d.argument.strip()
    if target:
        col = d.line[1] + d.argument_offset + 1
        span = Span(d.line[0], col, d.line[0], col + len(target))
        out.include(make_include(target, span, d.options))
    return None


def _figure_md(out: Sink, d: Directive) -> Body:
    name = d.argument.strip()
    if name:
        kind = LabelKind.LABEL if any(t.strip() for _, _, t in d.content) else LabelKind.UNTITLED
        out.label(name, d.line[0], d.line[1] + d.argument_offset, kind)
    return d.content or None


def _math(out: Sink, d: Directive) -> Body:
    if "label" in d.options:
        value, line, off = d.options["label"]
        if value.strip():
            out.label(value.strip(), line[0], line[1] + off, LabelKind.EQUATION)
    return None


_CLASSIFIER = re.compile(r"\s+:\s+")


def _glossary(out: Sink, d: Directive) -> Body:
    """Terms are the body's unindented lines (a definition is indented under its terms)."""
    for n, c, t in d.content:
        if t.strip() and not t[0].isspace():
            term = _CLASSIFIER.split(t.rstrip(), maxsplit=1)[0]
            out.label(term, n, c, LabelKind.TERM)
    return None


# Python-domain directives that declare an object (the argument's name part is its name).
_PY_OBJECTS = frozenset(
    [
        "class",
        "function",
        "method",
        "attribute",
        "data",
        "exception",
        "decorator",
        "property",
        "classmethod",
        "staticmethod",
        "decoratormethod",
        "type",
    ]
)
_PY_NAME = re.compile(r"\s*(?:async\s+|class\s+|def\s+)?([\w.]+)")


def _python(out: Sink, d: Directive) -> Body:
    kind = d.name.partition(":")[2] if d.name.startswith("py:") else "object"
    arg = d.argument
    if kind in ("module", "currentmodule"):
        module = arg.strip()
        if module and module != "None":
            out.python_module(module)
            if kind == "module":
                out.label(module, d.line[0], d.line[1] + d.argument_offset, LabelKind.PYTHON)
        return d.content or None
    m = _PY_NAME.match(arg)
    if m is None:
        return d.content or None
    name = m.group(1)
    if d.name == "autodoc2-object":
        full = name
    else:
        given = d.options["module"][0].strip() if "module" in d.options else None
        prefix = given if given is not None else out.python_scope()
        full = f"{prefix}.{name}" if prefix and not name.startswith(prefix + ".") else name
    column = d.line[1] + d.argument_offset + m.start(1)
    out.label(full, d.line[0], column, LabelKind.PYTHON, len(name))
    if not d.content:
        return None
    if kind in ("class", "exception", "object"):
        out.python_class(full)  # the body's methods and attributes are the class's
    return d.content


def _eval_rst(out: Sink, d: Directive) -> Body:
    if d.content:
        out.eval_rst(d.content)
    return None


HANDLERS: dict[str, Callable[[Sink, Directive], Body]] = {
    "include": _include,
    "figure-md": _figure_md,
    "math": _math,
    "glossary": _glossary,
    "eval-rst": _eval_rst,
    "autodoc2-object": _python,
    "py:module": _python,
    "py:currentmodule": _python,
    **{f"py:{kind}": _python for kind in _PY_OBJECTS},
}
