"""Minimal reST body parser: `.. toctree::` directives and `.. _label:` targets."""

from __future__ import annotations

import re

from ..model import Label, ParsedBody, Span, Toctree
from .directives import Options, build_toctree
from .syntax import Line

_LABEL = re.compile(r"^\.\.[ \t]+_([^:`][^:]*|`[^`]+`):[ \t]*$")
_TOCTREE = re.compile(r"^([ \t]*)\.\.[ \t]+toctree::[ \t]*$")
_OPTION = re.compile(r"[ \t]*:([^:\s][^:]*?):(?:[ \t]+|$)")


def _toctree(lines: list[str], i: int, m: re.Match[str]) -> tuple[Toctree, int]:
    """The toctree whose `.. toctree::` line is `lines[i]`, and the index after its block."""
    t = lines[i]
    base = len(m.group(1).expandtabs())
    j = i + 1
    block: list[Line] = []
    while j < len(lines):
        s = lines[j]
        if s.strip() and len(s) - len(s.lstrip()) <= base:
            break
        block.append((j + 1, 0, s))
        j += 1
    opts: Options = {}
    k = 0
    while k < len(block):
        om = _OPTION.match(block[k][2])
        if om is None:
            break
        opts[om.group(1)] = (block[k][2][om.end() :].rstrip(), block[k], om.end())
        k += 1
    opening = (i + 1, len(m.group(1)), t[len(m.group(1)) :])
    return build_toctree(opening, opts, block[k:]), j


def parse_rst(text: str) -> ParsedBody:
    """Extract toctrees (with options and entries) and `.. _label:` targets from reST."""
    lines = text.split("\n")
    toctrees = []
    labels = []
    i = 0
    while i < len(lines):
        t = lines[i]
        m = _LABEL.match(t)
        if m:
            name = m.group(1)
            col = m.start(1) + 1
            if name.startswith("`"):
                name, col = name[1:-1], col + 1
            labels.append(Label(name, Span(i + 1, col, i + 1, col + len(name))))
            i += 1
            continue
        m = _TOCTREE.match(t)
        if not m:
            i += 1
            continue
        toctree, i = _toctree(lines, i, m)
        toctrees.append(toctree)
    return ParsedBody(labels=tuple(labels), toctrees=tuple(toctrees))
