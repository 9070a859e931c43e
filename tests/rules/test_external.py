"""EXT rules end to end: `--external` over a docs tree whose links point at a loopback server."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from helpers import write_tree
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

HEADER = "---\norphan: true\n---\n"


@pytest.fixture
def site(httpserver: HTTPServer) -> tuple[HTTPServer, Counter]:
    hits: Counter = Counter()

    def handler(request: Request) -> Response:
        hits[(request.method, request.path)] += 1
        if request.path == "/ok":
            return Response(
                "<html><body><h2 id='usage'>Usage</h2></body></html>", 200, content_type="text/html"
            )
        if request.path == "/moved":
            return Response("", 301, headers={"Location": httpserver.url_for("/ok")})
        return Response("gone", 404)

    httpserver.expect_request("/ok").respond_with_handler(handler)
    httpserver.expect_request("/moved").respond_with_handler(handler)
    httpserver.expect_request("/missing").respond_with_handler(handler)
    return httpserver, hits


def _docs(tmp_path: Path, server: HTTPServer, config: str = "") -> Path:
    ok, moved, missing = (server.url_for(p) for p in ("/ok", "/moved", "/missing"))
    files = {
        "conf.py": "project = 'x'\n",
        "index.md": HEADER
        + f"# Home\n\n[a]({ok}) and [b]({missing}).\n\n"
        + f"```{{toctree}}\nguide\nExternal <{moved}>\n```\n",
        "guide.md": HEADER
        + f"# Guide\n\nAgain [b]({missing}#part), `{missing}` and\n\n"
        + f"```\n{missing}\n```\n\n![img]({ok})\n",
    }
    if config:
        files[".nemo-docs-lint.toml"] = config
    return write_tree(tmp_path / "docs", files)


def test_each_url_requested_once_and_every_occurrence_reported(tmp_path, site, cli) -> None:
    server, hits = site
    docs = _docs(tmp_path, server)
    result = cli(str(docs), "--external", "--select", "EXT", "--format", "json", "--no-cache")
    assert result.exit_code == 1
    missing, moved = server.url_for("/missing"), server.url_for("/moved")
    found = {
        (d["path"], d["code"], d["line"], d["column"], d["message"])
        for d in result.json["diagnostics"]
    }
    assert found == {
        (
            "docs/index.md",
            "EXT001",
            6,
            15 + len(server.url_for("/ok")),
            f"`{missing}` is broken: 404 Not Found",
        ),
        ("docs/guide.md", "EXT001", 6, 11, f"`{missing}#part` is broken: 404 Not Found"),
        (
            "docs/index.md",
            "EXT003",
            10,
            11,
            f"`{moved}` permanently redirects to `{server.url_for('/ok')}`",
        ),
    }
    # One request per distinct URL without fragment (the 404 is not retried), however many
    # pages link it; /ok is requested once for itself and once as the end of /moved's redirect.
    assert hits[("HEAD", "/missing")] == 1
    assert hits[("HEAD", "/ok")] == 2
    assert hits[("GET", "/missing")] == 0


def test_external_rules_need_selecting(tmp_path, site, cli) -> None:
    server, hits = site
    docs = _docs(tmp_path, server)
    result = cli(str(docs), "--format", "json")
    assert [d["code"] for d in result.json["diagnostics"] if d["code"].startswith("EXT")] == []
    assert sum(hits.values()) == 0


def test_select_ext_in_config_and_false_positives_file(tmp_path, site, cli) -> None:
    server, hits = site
    missing = server.url_for("/missing")
    (tmp_path / "fp.json").write_text(f'{{"uri": "{missing}"}}\n', encoding="utf-8")
    docs = _docs(
        tmp_path,
        server,
        'select = ["EXT"]\n[external]\nfalse-positives = "../fp.json"\n',
    )
    result = cli(str(docs), "--format", "json", "--no-cache")
    assert [d["code"] for d in result.json["diagnostics"]] == ["EXT003"]
    assert hits[("HEAD", "/missing")] + hits[("GET", "/missing")] == 0


def test_redirect_fix_rewrites_to_the_final_url(tmp_path, site, cli) -> None:
    server, _ = site
    docs = _docs(tmp_path, server)
    result = cli(str(docs), "--external", "--select", "EXT003", "--fix", "--no-cache")
    assert result.exit_code == 0
    text = (docs / "index.md").read_text(encoding="utf-8")
    assert f"External <{server.url_for('/ok')}>" in text
    assert server.url_for("/moved") not in text


def test_bad_external_settings_are_a_config_error(tmp_path, site, cli) -> None:
    server, _ = site
    docs = _docs(tmp_path, server, "[external]\nconcurency = 3\n")
    result = cli(str(docs), "--external")
    assert result.exit_code == 2
    assert "did you mean `concurrency`?" in result.stderr
