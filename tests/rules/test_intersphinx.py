"""EXT006 end to end: `--external` fetches intersphinx inventories from a loopback server,
caches them, and reports references they do not hold (offline, such references are silent)."""

from __future__ import annotations

import zlib
from pathlib import Path

from helpers import write_tree
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

INVENTORY = (
    b"# Sphinx inventory version 2\n# Project: other\n# Version: 1\n"
    b"# The remainder of this file is compressed using zlib.\n"
    + zlib.compress(
        b"tut-intro std:label -1 tutorial.html#$ Introduction\n"
        b"other.Thing py:class 1 api.html#$ -\n"
    )
)
PAGE = (
    "---\norphan: true\n---\n# Page\n\n"
    "{ref}`other:tut-intro` and <inv:other#other.Thing> resolve.\n\n"
    "{ref}`other:tut-intor` does not.\n\n"
    "<inv:other:py:class#other.Thign> neither.\n"
)


def _tree(tmp_path: Path, server: HTTPServer) -> Path:
    conf = f"intersphinx_mapping = {{'other': ('{server.url_for('/docs/')}', None)}}\n"
    return write_tree(tmp_path / "docs", {"conf.py": conf, "index.md": PAGE})


def test_inventory_fetched_once_cached_and_checked(tmp_path, httpserver: HTTPServer, cli) -> None:
    hits: list[str] = []

    def handler(request: Request) -> Response:
        hits.append(request.path)
        return Response(INVENTORY, 200, content_type="application/octet-stream")

    httpserver.expect_request("/docs/objects.inv").respond_with_handler(handler)
    _tree(tmp_path, httpserver)

    offline = cli("docs", "--no-cache", "--format", "json")
    assert [d for d in offline.json["diagnostics"] if d["code"].startswith(("LNK", "EXT"))] == []
    assert hits == []  # offline: no network, and nothing reported

    result = cli("docs", "--external", "--select", "EXT006", "--format", "json")
    url = httpserver.url_for("/docs/objects.inv")
    assert [(d["line"], d["column"], d["message"]) for d in result.json["diagnostics"]] == [
        (
            8,
            7,
            f"`tut-intor` is not in the `other` intersphinx inventory ({url}); "
            "did you mean `tut-intro`?",
        ),
        (
            10,
            2,
            f"`other.Thign` is not in the `other` intersphinx inventory ({url}); "
            "did you mean `other.Thing`?",
        ),
    ]
    assert hits == ["/docs/objects.inv"]

    again = cli("docs", "--external", "--select", "EXT006", "--format", "json")
    assert len(again.json["diagnostics"]) == 2
    assert hits == ["/docs/objects.inv"]  # the second run read the cached inventory


def test_an_inventory_that_cannot_be_fetched_leaves_references_unverified(
    tmp_path, httpserver: HTTPServer, cli
) -> None:
    httpserver.expect_request("/docs/objects.inv").respond_with_data("gone", status=404)
    _tree(tmp_path, httpserver)
    result = cli("docs", "--external", "--select", "EXT006", "--no-cache", "--format", "json")
    assert result.json["diagnostics"] == []
    assert result.exit_code == 0
