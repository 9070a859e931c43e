"""`--format json`: a stable object with a `diagnostics` list and a `summary`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any

from ..model import Diagnostic, Severity
from .base import ReportContext, Reporter, printable, register, summary

# A string exactly as json.dumps(..., ensure_ascii=False) writes it (for a str the encoder goes
# straight to json's C escaper, which `_text` is).
_escape = json.JSONEncoder(ensure_ascii=False).encode
_text: Callable[[str], str] = encode_basestring


def render(report: ReportContext) -> str:
    return "".join(chunks(report))


def chunks(report: ReportContext) -> Iterator[str]:
    """The report in pieces, a diagnostic per piece: 31,000 diagnostics (11 MB) are written
    without the whole text held, twice over, beside them."""
    diagnostics = report.result.diagnostics
    names = {rule.code: rule.name for rule in report.result.rules}
    checked, tree = report.files_checked()
    document = {
        "version": 1,
        "files_checked": checked,
        "files_in_tree": tree,
        "diagnostics": "__DIAGNOSTICS__",
        "summary": summary(diagnostics),
    }
    # One diagnostic per line: readable, diffable. indent=2 would fall back to the pure-Python
    # encoder (a second on 10,000 pages), and even json.dumps per item costs ~5 us each.
    head = json.dumps(document, indent=2, ensure_ascii=False)
    before, _, after = head.partition('"__DIAGNOSTICS__"')
    yield printable(before, json_text=True)
    batch: list[str] = []
    opening = "[\n    "
    for line in _lines(report, diagnostics, names):
        batch.append(line)
        if len(batch) == _BATCH:
            yield printable(opening + ",\n    ".join(batch), json_text=True)
            batch, opening = [], ",\n    "
    if batch:
        yield printable(opening + ",\n    ".join(batch), json_text=True)
    yield "[]" if opening == "[\n    " and not batch else "\n  ]"
    yield printable(after, json_text=True) + "\n"


_BATCH = 1024  # diagnostics per piece written


def _lines(
    report: ReportContext, diagnostics: list[Diagnostic], names: dict[str, Any]
) -> Iterator[str]:
    """Each diagnostic exactly as `json.dumps(item, ensure_ascii=False)` writes it, assembled
    from strings escaped by json's encoder (the C escaper that call uses): the fields up to the
    path once per code and severity, each path and message once."""
    heads: dict[tuple[str, Severity], str] = {}
    paths: dict[str, str] = {}
    messages: dict[str, str] = {}
    escape, number = _text, int.__repr__
    for d in diagnostics:
        key = (d.code, d.severity)
        head = heads.get(key)
        if head is None:
            name = names.get(d.code)
            head = heads[key] = (
                f'{{"code": {_escape(d.code)}, '
                f'"name": {"null" if name is None else _escape(name)}, '
                f'"severity": {_escape(d.severity.value)}, "path": '
            )
        path = paths.get(d.path)
        if path is None:
            path = paths[d.path] = _escape(report.display_path(d))
        message = messages.get(d.message)
        if message is None:
            message = messages[d.message] = escape(d.message)
        end_line, end_column = d.end_line, d.end_column
        yield (
            f'{head}{path}, "line": {number(d.line)}, "column": {number(d.column)}, '
            f'"end_line": {"null" if end_line is None else number(end_line)}, '
            f'"end_column": {"null" if end_column is None else number(end_column)}, '
            f'"message": {message}, {_FIX_FIELDS[None if d.fix is None else d.fix.safe]}}}'
        )


# `fixable`: `--fix` fixes it (as the console's `[*]`); `fix`: what fix there is, "unsafe"
# being one only `--unsafe-fixes` applies (Ruff's applicability).
_FIX_FIELDS = {
    None: '"fixable": false, "fix": null',
    True: '"fixable": true, "fix": "safe"',
    False: '"fixable": false, "fix": "unsafe"',
}


register(
    Reporter(
        "json",
        lambda report, options: render(report),
        chunks=lambda report, options: chunks(report),
    )
)
