"""Diagnostics as you type over a real LSP connection: the CLI's codes, ranges and severities."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import uri, wait_until
from lsprotocol import types
from pytest_lsp import LanguageClient

from nemo_docs_lint.engine import LintRequest, lint

pytestmark = pytest.mark.asyncio


def _open(client: LanguageClient, path: Path, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(path), language_id="markdown", version=version, text=path.read_text()
            )
        )
    )


def _edit(
    client: LanguageClient, path: Path, version: int, line: int, start: int, end: int, text: str
):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=start),
                        end=types.Position(line=line, character=end),
                    ),
                    text=text,
                )
            ],
        )
    )


def _codes(client: LanguageClient, path: Path) -> list[tuple[str, int, int]]:
    return [
        (str(d.code), d.range.start.line + 1, d.range.start.character + 1)
        for d in client.diagnostics.get(uri(path), [])
    ]


async def test_a_clean_tree_publishes_nothing(client: LanguageClient, docs: Path) -> None:
    assert lint(LintRequest(paths=(docs,), use_cache=False)).diagnostics == []
    assert all(not items for items in client.diagnostics.values())
    begin = client.progress_reports["nemo-docs-lint/index"][0]
    assert isinstance(begin, types.WorkDoneProgressBegin)
    assert client.progress_reports["nemo-docs-lint/index"][-1].message == "5 pages indexed"


async def test_a_broken_tree_is_published_as_the_cli_reports_it(
    bare_client: LanguageClient, docs: Path
) -> None:
    from conftest import indexed, start

    (docs / "lonely.md").write_text("# Lonely\n\n[gone](missing.md)\n")
    await start(bare_client, [docs])
    await wait_until(lambda: indexed(bare_client))
    expected = lint(LintRequest(paths=(docs,), use_cache=False)).diagnostics
    got = []
    for path_uri, items in bare_client.diagnostics.items():
        for d in items:
            got.append(
                (
                    path_uri,
                    d.code,
                    d.range.start.line + 1,
                    d.range.start.character + 1,
                    d.range.end.line + 1,
                    d.range.end.character + 1,
                    d.message,
                    d.severity,
                    d.source,
                    d.code_description.href if d.code_description else None,
                )
            )
    severity = {"error": 1, "warning": 2, "note": 3}
    want = [
        (
            uri(docs / e.path),
            e.code,
            e.line,
            e.column,
            e.end_line,
            e.end_column,
            e.message,
            severity[e.severity.value],
            "nemo-docs-lint",
            "https://github.com/nemo-docs-lint/nemo-docs-lint#rules",
        )
        for e in expected
    ]
    assert sorted(got) == sorted(want)
    assert {e.code for e in expected} == {"FM001", "LNK001", "TOC002", "TOC005"}


async def test_typing_publishes_the_edited_page(client: LanguageClient, docs: Path) -> None:
    setup = docs / "guide/setup.md"
    _open(client, setup)
    # line 15 (0-based 14) reads "Then read [usage](usage.md)."; break the target
    _edit(client, setup, 2, 14, 18, 23, "usagex")
    await wait_until(lambda: _codes(client, setup))
    assert _codes(client, setup) == [("LNK001", 15, 19)]
    [diagnostic] = client.diagnostics[uri(setup)]
    assert diagnostic.message == "link target `usagex.md` does not exist"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    _edit(client, setup, 3, 14, 18, 24, "usage")
    await wait_until(lambda: not _codes(client, setup))


async def test_a_renamed_heading_publishes_the_page_linking_to_it(
    client: LanguageClient, docs: Path
) -> None:
    setup, about = docs / "guide/setup.md", docs / "about.md"
    _open(client, setup)
    _edit(client, setup, 2, 12, 3, 13, "Install")  # "## Install it" -> "## Install"
    await wait_until(lambda: _codes(client, about))
    assert _codes(client, about) == [("LNK002", 14, 13)]
    assert _codes(client, setup) == []


async def test_removing_a_toctree_line_orphans_the_page(client: LanguageClient, docs: Path) -> None:
    guide, usage = docs / "guide/index.md", docs / "guide/usage.md"
    _open(client, guide)
    # the toctree body: line 14 "setup", line 15 "usage"; delete "usage"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(guide), version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=14, character=0),
                        end=types.Position(line=15, character=0),
                    ),
                    text="",
                )
            ],
        )
    )
    await wait_until(lambda: _codes(client, usage))
    assert _codes(client, usage) == [("TOC002", 1, 1), ("TOC005", 1, 1)]
    # closing the buffer without saving goes back to the disk's text
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(guide)))
    )
    await wait_until(lambda: not _codes(client, usage))
