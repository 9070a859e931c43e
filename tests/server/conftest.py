"""A real language client (pytest-lsp) talking to `nemo-docs-lint server` over stdio."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from helpers import GOOD_FRONTMATTER, write_tree
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = [sys.executable, "-m", "nemo_docs_lint", "server"]


def page(
    title: str, body: str = "", label: str | None = None, front: str = GOOD_FRONTMATTER
) -> str:
    head = f"({label})=\n" if label else ""
    return f"{front}\n{head}# {title}\n\n{body}\n"


TREE = {
    "conf.py": "myst_heading_anchors = 3\n",
    "index.md": page("Home", "```{toctree}\nguide/index\nabout\n```\n"),
    "about.md": page(
        "About",
        "See [setup](guide/setup.md#install-it) and {ref}`usage-label`.",
        label="about-label",
    ),
    "guide/index.md": page("Guide", "```{toctree}\nsetup\nusage\n```\n"),
    "guide/setup.md": page("Setup", "## Install it\n\nThen read [usage](usage.md)."),
    "guide/usage.md": page("Usage", "Back to [about](../about.md).", label="usage-label"),
    "img/logo.png": b"\x89PNG",
}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "docs", TREE).resolve()


def uri(path: Path) -> str:
    return path.as_uri()


async def wait_until(check: Callable[[], object], timeout: float = 20.0) -> None:
    """Poll until `check()` is truthy (the server answers asynchronously)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the server")
        await asyncio.sleep(0.02)


def capabilities() -> types.ClientCapabilities:
    return types.ClientCapabilities(
        window=types.WindowClientCapabilities(work_done_progress=True),
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf16]
        ),
    )


async def start(client: LanguageClient, folders: list[Path]) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=uri(f), name=f.name) for f in folders],
        )
    )


def indexed(client: LanguageClient) -> bool:
    """Whether the server ended its indexing progress (it publishes diagnostics before)."""
    reports = client.progress_reports.get("nemo-docs-lint/index", [])
    return bool(reports) and isinstance(reports[-1], types.WorkDoneProgressEnd)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, docs: Path):
    await start(lsp_client, [docs])
    await wait_until(lambda: indexed(lsp_client))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def bare_client(lsp_client: LanguageClient):
    """A client whose test starts the session itself."""
    yield
    await lsp_client.shutdown_session()
