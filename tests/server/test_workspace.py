"""Files changing on disk, configuration reloads, broken configs and several docs roots."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TREE, indexed, start, uri, wait_until
from helpers import write_tree
from lsprotocol import types
from pytest_lsp import LanguageClient
from test_diagnostics import _codes

pytestmark = pytest.mark.asyncio


def _event(client: LanguageClient, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri(path), type=kind)])
    )


async def test_created_pages_and_config_reloads(client: LanguageClient, docs: Path) -> None:
    lonely = docs / "lonely.md"
    lonely.write_text("# Lonely\n")
    _event(client, lonely, types.FileChangeType.Created)
    await wait_until(lambda: _codes(client, lonely))
    assert _codes(client, lonely) == [("FM001", 1, 1), ("TOC002", 1, 1), ("TOC005", 1, 1)]

    config = docs / ".nemo-docs-lint.toml"
    config.write_text('ignore = ["TOC"]\n')
    _event(client, config, types.FileChangeType.Created)
    await wait_until(lambda: _codes(client, lonely) == [("FM001", 1, 1)])

    config.write_text('ignore = ["TOC"]\nignor = ["FM"]\n')
    _event(client, config, types.FileChangeType.Changed)
    await wait_until(lambda: client.diagnostics.get(uri(config)))
    [problem] = client.diagnostics[uri(config)]
    assert problem.message == f"{config}: unknown key `ignor`; did you mean `ignore`?"
    assert (problem.range.start.line, problem.severity) == (1, types.DiagnosticSeverity.Error)
    assert _codes(client, lonely) == [("FM001", 1, 1)]  # the last good configuration stays

    hover = await client.text_document_hover_async(  # and the server keeps answering
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(docs / "index.md")),
            position=types.Position(line=14, character=1),
        )
    )
    assert hover.contents.value.startswith("**About**")

    config.write_text('ignore = ["TOC002"]\n')
    _event(client, config, types.FileChangeType.Changed)
    await wait_until(lambda: not client.diagnostics.get(uri(config)))  # the config's, cleared,
    # then the page's (another notification, which may come a moment later)
    await wait_until(lambda: _codes(client, lonely) == [("FM001", 1, 1), ("TOC005", 1, 1)])
    assert _codes(client, lonely) == [("FM001", 1, 1), ("TOC005", 1, 1)]

    lonely.unlink()
    _event(client, lonely, types.FileChangeType.Deleted)
    await wait_until(lambda: not _codes(client, lonely))


async def test_a_broken_config_at_start_is_a_diagnostic(
    bare_client: LanguageClient, tmp_path: Path
) -> None:
    docs = write_tree(tmp_path / "docs", TREE)
    config = docs / ".nemo-docs-lint.toml"
    config.write_text('select = ["XYZ"]\n')
    await start(bare_client, [docs])
    await wait_until(lambda: indexed(bare_client))
    [problem] = bare_client.diagnostics[uri(config)]
    assert problem.message == "`XYZ` matches no rule"
    assert problem.code == "config"


async def test_several_docs_roots_in_one_workspace(
    bare_client: LanguageClient, tmp_path: Path
) -> None:
    first = write_tree(tmp_path / "repo/docs", {**TREE, "lonely.md": "# Lonely\n"})
    second = write_tree(tmp_path / "repo/tools/docs", {**TREE, "stray.md": "# Stray\n"})
    third = write_tree(tmp_path / "other", {**TREE, "alone.md": "# Alone\n"})
    await start(bare_client, [tmp_path / "repo", third])
    await wait_until(lambda: indexed(bare_client))
    for path in (first / "lonely.md", second / "stray.md", third / "alone.md"):
        assert [c for c, _, _ in _codes(bare_client, path)] == ["FM001", "TOC002", "TOC005"]
    assert bare_client.progress_reports["nemo-docs-lint/index"][-1].message == "18 pages indexed"


async def test_files_outside_every_tree_and_odd_requests(
    client: LanguageClient, docs: Path, tmp_path: Path
) -> None:
    stray = tmp_path / "notes.md"
    stray.write_text("# Notes\n\n[x](nowhere.md)\n")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(stray), language_id="markdown", version=1, text=stray.read_text()
            )
        )
    )
    at = types.Position(line=2, character=5)
    document = types.TextDocumentIdentifier(uri=uri(stray))
    assert await client.text_document_hover_async(types.HoverParams(document, at)) is None
    assert await client.text_document_definition_async(types.DefinitionParams(document, at)) is None
    assert await client.text_document_completion_async(types.CompletionParams(document, at)) is None
    # a position past the end of a page of the tree, and a rename that is no label
    page = types.TextDocumentIdentifier(uri=uri(docs / "about.md"))
    far = types.Position(line=500, character=90)
    assert await client.text_document_hover_async(types.HoverParams(page, far)) is None
    items = await client.text_document_completion_async(types.CompletionParams(page, far))
    assert list(items.items) == []
    rename = types.RenameParams(page, types.Position(line=11, character=3), "x")
    assert await client.text_document_rename_async(rename) is None
    assert uri(stray) not in client.diagnostics or not client.diagnostics[uri(stray)]


async def test_workspace_folders_come_and_go(bare_client: LanguageClient, tmp_path: Path) -> None:
    first = write_tree(tmp_path / "one", {**TREE, "lonely.md": "# Lonely\n"})
    second = write_tree(tmp_path / "two", {**TREE, "stray.md": "# Stray\n"})
    await start(bare_client, [first])
    await wait_until(lambda: indexed(bare_client))
    assert _codes(bare_client, first / "lonely.md")
    bare_client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=uri(second), name="two")],
                removed=[types.WorkspaceFolder(uri=uri(first), name="one")],
            )
        )
    )
    await wait_until(lambda: _codes(bare_client, second / "stray.md"))
    assert _codes(bare_client, first / "lonely.md") == []


async def test_a_tree_large_enough_for_parse_workers(
    bare_client: LanguageClient, tmp_path: Path
) -> None:
    """The CLI forks parser workers for this many pages; forked from the server they hung."""
    from nemo_docs_lint.parse import PARALLEL_THRESHOLD

    count = PARALLEL_THRESHOLD + 50
    toctree = "\n".join(f"p{n}" for n in range(count))
    pages = {f"p{n}.md": f"# Page {n}\n\n[next](p{n + 1}.md)\n" for n in range(count)}
    docs = write_tree(
        tmp_path / "docs", {**pages, "index.md": f"# Home\n\n```{{toctree}}\n{toctree}\n```\n"}
    )
    await start(bare_client, [docs])
    await wait_until(lambda: indexed(bare_client), timeout=240)
    assert _codes(bare_client, docs / f"p{count - 1}.md") == [("FM001", 1, 1), ("LNK001", 3, 8)]
