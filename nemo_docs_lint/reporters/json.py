"""`--format json`: a stable object with a `diagnostics` list and a `summary`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..model import Diagnostic
from .base import ReportContext, Reporter, printable, register, summary

# A string exactly as json.dumps(..., ensure_ascii=False) writes it (for a str the encoder goes
# straight to json's C escaper).
_escape = json.JSONEncoder(ensure_ascii=False).encode


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
    from strings escaped by json's encoder (the C escaper that call uses) and cached per value."""
    strings: dict[str | None, str] = {None: "null"}

    def text(value: str | None) -> str:
        found = strings.get(value)
        if found is None:
            found = strings[value] = _escape(value)
        return found

    paths: dict[str, str] = {}
    for d in diagnostics:
        path = paths.get(d.path)
        if path is None:
            path = paths[d.path] = text(report.display_path(d))
        yield (
            f'{{"code": {text(d.code)}, "name": {text(names.get(d.code))}, '
            f'"severity": {text(d.severity.value)}, "path": {path}, '
            f'"line": {_int(d.line)}, "column": {_int(d.column)}, '
            f'"end_line": {_int(d.end_line)}, "end_column": {_int(d.end_column)}, '
            f'"message": {text(d.message)}, "fixable": {"false" if d.fix is None else "true"}}}'
        )


def _int(value: int | None) -> str:
    return "null" if value is None else int.__repr__(value)


register(
    Reporter(
        "json",
        lambda report, options: render(report),
        chunks=lambda report, options: chunks(report),
    )
)
