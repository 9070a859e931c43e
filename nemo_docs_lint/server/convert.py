"""Our types to LSP's and back: positions, ranges, diagnostics, edits, completion items."""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec

from ..complete import Candidate
from ..model import Diagnostic, Severity, Span

RULES_URL = "https://github.com/nemo-docs-lint/nemo-docs-lint#rules"
SOURCE = "nemo-docs-lint"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}
_KIND = {
    "file": types.CompletionItemKind.File,
    "folder": types.CompletionItemKind.Folder,
    "document": types.CompletionItemKind.File,
    "anchor": types.CompletionItemKind.Reference,
    "label": types.CompletionItemKind.Reference,
    "key": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.EnumMember,
}


def rule_docs_url(code: str) -> str:
    """Where a rule is documented (the README's rule table; `nemo-docs-lint rules CODE`)."""
    return RULES_URL


def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def path_of(uri: str) -> Path | None:
    fs_path = to_fs_path(uri)
    return Path(fs_path).resolve() if fs_path else None


class Positions:
    """Converts 1-based character positions of a text to LSP positions in the client's units."""

    def __init__(self, codec: PositionCodec, lines: list[str]) -> None:
        self.codec = codec
        self.lines = lines

    def position(self, line: int, column: int) -> types.Position:
        return self.codec.position_to_client_units(
            self.lines, types.Position(line=max(line - 1, 0), character=max(column - 1, 0))
        )

    def range(self, span: Span) -> types.Range:
        return types.Range(
            start=self.position(span.line, span.column),
            end=self.position(span.end_line, span.end_column),
        )

    def from_client(self, position: types.Position) -> tuple[int, int]:
        server = self.codec.position_from_client_units(self.lines, position)
        return server.line + 1, server.character + 1


def span_of(diagnostic: Diagnostic) -> Span:
    end_line = diagnostic.end_line or diagnostic.line
    end_column = diagnostic.end_column or diagnostic.column + 1
    return Span(diagnostic.line, diagnostic.column, end_line, end_column)


def diagnostic(item: Diagnostic, positions: Positions) -> types.Diagnostic:
    return types.Diagnostic(
        range=positions.range(span_of(item)),
        message=item.message,
        severity=_SEVERITY[item.severity],
        code=item.code,
        code_description=types.CodeDescription(href=rule_docs_url(item.code)),
        source=SOURCE,
    )


def config_error(message: str, lines: list[str], codec: PositionCodec) -> types.Diagnostic:
    """A configuration that does not load, at the line naming the offending key if any."""
    line = 1
    names = re.findall(r"`([^`]+)`", message)[:1]  # the offending key comes first
    for number, text in enumerate(lines, 1):
        if any(re.match(rf"\s*\"?{re.escape(n.split('.')[-1])}\"?\s*=", text) for n in names):
            line = number
            break
    text = lines[line - 1] if line <= len(lines) else ""
    positions = Positions(codec, lines)
    return types.Diagnostic(
        range=positions.range(Span(line, 1, line, len(text) + 1)),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code="config",
        source=SOURCE,
    )


def completion_item(
    candidate: Candidate, line: int, positions: Positions, end: int
) -> types.CompletionItem:
    """A candidate replacing the text from its start column to the cursor (`end`)."""
    return types.CompletionItem(
        label=candidate.label,
        kind=_KIND.get(candidate.kind, types.CompletionItemKind.Text),
        detail=candidate.detail or None,
        documentation=candidate.documentation or None,  # plain text: every client reads it
        text_edit=types.TextEdit(
            range=positions.range(Span(line, candidate.start, line, end)),
            new_text=candidate.label,
        ),
    )
