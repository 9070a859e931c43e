"""Completion, definition, references and hover over a real LSP connection."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import uri
from lsprotocol import types
from pytest_lsp import LanguageClient
from test_diagnostics import _open

pytestmark = pytest.mark.asyncio


def _at(path: Path, line: int, character: int) -> dict:
    return {
        "text_document": types.TextDocumentIdentifier(uri=uri(path)),
        "position": types.Position(line=line, character=character),
    }


def _where(location: types.Location) -> tuple[str, int, int]:
    return (location.uri, location.range.start.line, location.range.start.character)


async def _complete(client: LanguageClient, path: Path, line_text: str, at: int) -> list:
    """Insert `line_text` as a new line `at` (0-based) and complete at its end."""
    _open(client, path)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=at, character=0),
                        end=types.Position(line=at, character=0),
                    ),
                    text=line_text + "\n",
                )
            ],
        )
    )
    result = await client.text_document_completion_async(
        types.CompletionParams(**_at(path, at, len(line_text)))
    )
    assert isinstance(result, types.CompletionList)
    return result.items


async def test_definition_of_a_link_with_an_anchor(client: LanguageClient, docs: Path) -> None:
    found = await client.text_document_definition_async(
        types.DefinitionParams(**_at(docs / "about.md", 13, 20))
    )
    assert _where(found) == (uri(docs / "guide/setup.md"), 12, 3)


async def test_definition_of_a_ref_role_and_a_toctree_entry(
    client: LanguageClient, docs: Path
) -> None:
    found = await client.text_document_definition_async(
        types.DefinitionParams(**_at(docs / "about.md", 13, 52))
    )
    assert _where(found) == (uri(docs / "guide/usage.md"), 10, 1)
    found = await client.text_document_definition_async(
        types.DefinitionParams(**_at(docs / "index.md", 14, 2))
    )
    assert _where(found) == (uri(docs / "about.md"), 0, 0)
    nothing = await client.text_document_definition_async(
        types.DefinitionParams(**_at(docs / "index.md", 11, 0))
    )
    assert nothing is None


async def test_references_of_a_label_and_of_a_document(client: LanguageClient, docs: Path) -> None:
    context = types.ReferenceContext(include_declaration=False)
    found = await client.text_document_references_async(
        types.ReferenceParams(**_at(docs / "guide/usage.md", 10, 3), context=context)
    )
    assert [_where(loc) for loc in found] == [(uri(docs / "about.md"), 13, 49)]
    found = await client.text_document_references_async(
        types.ReferenceParams(**_at(docs / "guide/usage.md", 11, 2), context=context)
    )
    assert sorted(_where(loc) for loc in found) == [
        (uri(docs / "guide/index.md"), 14, 0),
        (uri(docs / "guide/setup.md"), 14, 18),
    ]


async def test_hover_shows_title_and_description(client: LanguageClient, docs: Path) -> None:
    hover = await client.text_document_hover_async(
        types.HoverParams(**_at(docs / "about.md", 13, 20))
    )
    assert hover.contents.value == (
        "**Setup**\n\n`guide/setup.md`\n\nTrain a model with GRPO on one node."
    )


async def test_completion_of_link_paths_one_folder_at_a_time(
    client: LanguageClient, docs: Path
) -> None:
    items = await _complete(client, docs / "about.md", "[x](gu", 14)
    assert [(i.label, i.kind) for i in items if i.label.startswith("g")] == [
        ("guide/", types.CompletionItemKind.Folder)
    ]
    assert {"img/", "index.md", "about.md"} <= {i.label for i in items}
    assert items[0].text_edit.range.start == types.Position(line=14, character=4)
    items = await _complete(client, docs / "guide/usage.md", "[x](../guide/", 14)
    by_label = {i.label: i for i in items}
    assert set(by_label) == {"index.md", "setup.md", "usage.md"}
    assert by_label["setup.md"].detail == "Setup"


async def test_completion_of_anchors_labels_and_documents(
    client: LanguageClient, docs: Path
) -> None:
    items = await _complete(client, docs / "about.md", "[x](guide/setup.md#", 14)
    assert [i.label for i in items] == ["setup", "install-it"]
    items = await _complete(client, docs / "guide/setup.md", "{ref}`", 15)
    assert [i.label for i in items] == ["about-label", "usage-label"]
    items = await _complete(client, docs / "guide/index.md", "{doc}`../", 15)
    assert {i.label for i in items} >= {"about", "index", "guide/"}


async def test_completion_in_a_toctree(client: LanguageClient, docs: Path) -> None:
    items = await _complete(client, docs / "index.md", "gui", 15)
    assert [i.label for i in items if i.label.startswith("g")] == ["guide/"]
    assert {"about", "index"} <= {i.label for i in items}


async def test_completion_of_frontmatter_keys_and_values(
    client: LanguageClient, docs: Path
) -> None:
    items = await _complete(client, docs / "about.md", "diff", 1)
    difficulty = next(i for i in items if i.label == "difficulty")
    assert difficulty.kind == types.CompletionItemKind.Property
    assert difficulty.detail == "one of beginner, intermediate, advanced, reference"
    tags = next(i for i in items if i.label == "tags")
    assert tags.documentation == "2 to 8 unique tags for search and discovery."
    items = await _complete(client, docs / "guide/setup.md", "difficulty: ", 1)
    assert [i.label for i in items] == ["beginner", "intermediate", "advanced", "reference"]
    items = await _complete(client, docs / "guide/usage.md", '  - "da', 5)  # under personas
    assert "data-scientist-focused" in [i.label for i in items]
