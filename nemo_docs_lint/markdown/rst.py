"""Minimal reST body parser: `.. toctree::` directives and `.. _label:` targets."""

from __future__ import annotations

import re

from ..model import Label, ParsedBody, Span
from .collect import Collector
from .directives import _toctree

_LABEL = re.compile(r"^\.\.[ \t]+_([^:`][^:]*|`[^`]+`):[ \t]*$")
_TOCTREE = re.compile(r"^([ \t]*)\.\.[ \t]+toctree::[ \t]*$")
_OPTION = re.compile(r"[ \t]*:([^:\s][^:]*?):(?:[ \t]+|$)")


def parse_rst(text: str) -> ParsedBody:
    """Extract toctrees (with options and entries) and `.. _label:` targets from reST."""
    lines = text.split("\n")
    out = Collector()
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
        base = len(m.group(1).expandtabs())
        j = i + 1
        block: list[tuple[int, int, str]] = []
        while j < len(lines):
            s = lines[j]
            if s.strip() and len(s) - len(s.lstrip()) <= base:
                break
            block.append((j + 1, 0, s))
            j += 1
        opts: dict[str, tuple[str, tuple[int, int, str], int]] = {}
        k = 0
        while k < len(block) and _OPTION.match(block[k][2]):
            om = _OPTION.match(block[k][2])
            assert om is not None
            opts[om.group(1)] = (block[k][2][om.end() :].rstrip(), block[k], om.end())
            k += 1
        _toctree(out, (i + 1, len(m.group(1)), t[len(m.group(1)) :]), opts, block[k:])
        i = j
    return ParsedBody(labels=tuple(labels), toctrees=tuple(out.toctrees))
