"""Code actions, label renames and file renames over a real LSP connection."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import indexed, page, start, uri, wait_until
from helpers import write_tree
from lsprotocol import types
from pytest_lsp import LanguageClient
from test_diagnostics import _codes, _open

pytestmark = pytest.mark.asyncio


def _change(client: LanguageClient, path: Path, version: int, edits: list[types.TextEdit]):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                for e in edits
            ],
        )
    )


def _summary(edit: types.WorkspaceEdit, docs: Path) -> dict[str, list[tuple[int, int, int, str]]]:
    return {
        Path(u[len("file://") :]).relative_to(docs).as_posix(): sorted(
            (e.range.start.line, e.range.start.character, e.range.end.character, e.new_text)
            for e in edits
        )
        for u, edits in (edit.changes or {}).items()
    }


async def test_quick_fix_and_suppression(client: LanguageClient, docs: Path) -> None:
    about = docs / "about.md"
    _open(client, about)
    start = types.Position(line=14, character=0)
    _change(
        client, about, 2, [types.TextEdit(types.Range(start=start, end=start), "[s](setup.md)\n")]
    )
    await wait_until(lambda: _codes(client, about))
    assert _codes(client, about) == [("LNK001", 15, 5)]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(about)),
            range=types.Range(start=start, end=start),
            context=types.CodeActionContext(diagnostics=list(client.diagnostics[uri(about)])),
        )
    )
    assert [a.title for a in actions] == [
        "Fix LNK001: `setup.md` -> `guide/setup.md`",
        "Disable LNK001 for this line",
    ]
    fix, disable = actions
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert _summary(fix.edit, docs) == {"about.md": [(14, 4, 12, "guide/setup.md")]}
    assert _summary(disable.edit, docs) == {
        "about.md": [(14, 0, 0, "<!-- nemo-docs-lint: disable-next-line LNK001 -->\n")]
    }
    _change(client, about, 3, disable.edit.changes[uri(about)])
    await wait_until(lambda: not _codes(client, about))


async def test_frontmatter_problems_are_disabled_file_wide(
    client: LanguageClient, docs: Path
) -> None:
    setup = docs / "guide/setup.md"
    _open(client, setup)
    line = types.Range(
        start=types.Position(line=5, character=12), end=types.Position(line=5, character=26)
    )
    _change(client, setup, 2, [types.TextEdit(line, '"expert"')])
    await wait_until(lambda: _codes(client, setup))
    assert _codes(client, setup) == [("FM004", 6, 13)]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(setup)),
            range=line,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert [a.title for a in actions] == ["Disable FM004 for this file"]
    assert _summary(actions[0].edit, docs) == {
        "guide/setup.md": [(9, 0, 0, "<!-- nemo-docs-lint: disable-file FM004 -->\n")]
    }
    _change(client, setup, 3, actions[0].edit.changes[uri(setup)])
    await wait_until(lambda: not _codes(client, setup))


async def test_only_labels_can_be_renamed(client: LanguageClient, docs: Path) -> None:
    document = types.TextDocumentIdentifier(uri=uri(docs / "about.md"))
    found = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(document, types.Position(line=13, character=52))
    )
    assert (found.start.line, found.start.character, found.end.character) == (13, 49, 60)
    nothing = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(document, types.Position(line=13, character=20))  # a link
    )
    assert nothing is None


async def test_renaming_a_label_renames_its_uses(client: LanguageClient, docs: Path) -> None:
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri(docs / "about.md")),
            position=types.Position(line=13, character=52),  # in {ref}`usage-label`
            new_name="usage-guide",
        )
    )
    assert _summary(edit, docs) == {
        "about.md": [(13, 49, 60, "usage-guide")],
        "guide/usage.md": [(10, 1, 12, "usage-guide")],
    }


async def test_will_rename_files_keeps_links_working(client: LanguageClient, docs: Path) -> None:
    old, new = docs / "guide/setup.md", docs / "guide/install/setup.md"
    edit = await client.workspace_will_rename_files_async(
        types.RenameFilesParams(files=[types.FileRename(old_uri=uri(old), new_uri=uri(new))])
    )
    assert _summary(edit, docs) == {
        "about.md": [(13, 12, 37, "guide/install/setup.md#install-it")],
        "guide/index.md": [(13, 0, 5, "install/setup")],
        "guide/setup.md": [(14, 18, 26, "../usage.md")],
    }


async def test_will_rename_a_folder(client: LanguageClient, docs: Path) -> None:
    """Links between pages that move together, and out of the folder, stay as they are."""
    edit = await client.workspace_will_rename_files_async(
        types.RenameFilesParams(
            files=[types.FileRename(old_uri=uri(docs / "guide"), new_uri=uri(docs / "howto"))]
        )
    )
    assert _summary(edit, docs) == {
        "about.md": [(13, 12, 37, "howto/setup.md#install-it")],
        "index.md": [(13, 0, 11, "howto/index")],
    }


def _applied(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with the edits applied (ASCII text: LSP characters are columns)."""
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start, end = e.range.start, e.range.end
        assert start.line == end.line
        line = lines[start.line]
        lines[start.line] = line[: start.character] + e.new_text + line[end.character :]
    return "\n".join(lines)


async def test_will_rename_a_folder_rewrites_includes_globs_and_encoded_links(
    bare_client: LanguageClient, tmp_path: Path
) -> None:
    """Forms only the rename-aware edits of `mv` know: an `{include}`, a toctree glob, a
    percent-encoded link (kept encoded) and a link to the folder itself."""
    body = (
        "```{toctree}\n:glob:\nparts/*\n```\n\n"
        "```{include} parts/shared/note.md\n```\n\n"
        "See [the notes](parts/my%20notes.md) and [every part](parts/).\n"
    )
    docs = write_tree(
        tmp_path / "docs",
        {
            "conf.py": "",
            "index.md": page("Home", body),
            "parts/one.md": page("One"),
            "parts/my notes.md": page("Notes"),
            "parts/shared/note.md": "A note.\n",
        },
    ).resolve()
    await start(bare_client, [docs])
    await wait_until(lambda: indexed(bare_client))
    edit = await bare_client.workspace_will_rename_files_async(
        types.RenameFilesParams(
            files=[types.FileRename(old_uri=uri(docs / "parts"), new_uri=uri(docs / "chapters"))]
        )
    )
    assert list(edit.changes) == [uri(docs / "index.md")]
    index = docs / "index.md"
    assert _applied(index.read_text(), edit.changes[uri(index)]) == page(
        "Home",
        "```{toctree}\n:glob:\nchapters/*\n```\n\n"
        "```{include} chapters/shared/note.md\n```\n\n"
        "See [the notes](chapters/my%20notes.md) and [every part](chapters/).\n",
    )


async def test_will_rename_a_page_out_of_a_glob_lists_it(
    client: LanguageClient, docs: Path
) -> None:
    """A page leaving the folder a toctree glob covers is listed after the glob, so the
    toctree keeps it; the moved page's own relative links follow it."""
    guide = docs / "guide/index.md"
    guide.write_text(guide.read_text().replace("setup\nusage\n", ":glob:\n*\n"))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(guide), type=types.FileChangeType.Changed)]
        )
    )
    edit = await client.workspace_will_rename_files_async(
        types.RenameFilesParams(
            files=[
                types.FileRename(
                    old_uri=uri(docs / "guide/usage.md"), new_uri=uri(docs / "usage.md")
                )
            ]
        )
    )
    assert _summary(edit, docs) == {
        "guide/index.md": [(14, 1, 1, "\n../usage")],
        "guide/setup.md": [(14, 18, 26, "../usage.md")],
        "guide/usage.md": [(13, 16, 27, "about.md")],
    }
