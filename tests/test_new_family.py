"""A rule family added from outside the core (here: from a test) runs end to end.

The throwaway `ZZ` family declares everything a family owns (a SARIF tag, a `prepare` and a
`validate_config` hook, per-run state in the context's memo, an option, the Sphinx warning type
it mirrors) and nothing in the engine, the filter or the reporters names it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nemo_docs_lint.config import Config, ConfigError
from nemo_docs_lint.context import CheckContext
from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.model import Finding, Page, Severity, Span
from nemo_docs_lint.registry import Scope, all_rules, family, rule, unregister
from nemo_docs_lint.reporters import ReportContext
from nemo_docs_lint.reporters.json import render as render_json
from nemo_docs_lint.reporters.sarif import build as build_sarif

WORD_OPTIONS = {
    "type": "object",
    "properties": {"word": {"type": "string"}},
    "additionalProperties": False,
}


class _State:
    def __init__(self, word: str) -> None:
        self.word = word
        self.pages = 0


@pytest.fixture
def zz_family() -> Iterator[list[str]]:
    all_rules()  # the built-ins first, as in a real run
    calls: list[str] = []

    def validate(config: Config) -> None:
        calls.append("validate")
        if config.rule_options.get("ZZ001", {}).get("word") == "":
            raise ConfigError("[rules.ZZ001] word must not be empty")

    def prepare(config: Config, ctx: CheckContext) -> None:
        calls.append("prepare")
        ctx.memo("ZZ", _State, ctx.options("ZZ001").get("word", "TODO"))

    family("ZZ", tag="throwaway", prepare=prepare, validate_config=validate)

    @rule(
        code="ZZ001",
        name="leftover-word",
        severity=Severity.WARNING,
        scope=Scope.PAGE,
        sphinx_warnings=("zz.leftover",),
        options=WORD_OPTIONS,
    )
    def leftover_word(page: Page, ctx: CheckContext) -> Iterator[Finding]:
        """A page still contains the configured word (`TODO` unless `word` says otherwise).

        Why: a leftover marker is a promise nobody keeps.

        Bad:
            TODO: write this section
        Good:
            This section explains the setup.
        """
        state = ctx.memo("ZZ", _State, "unprepared")
        state.pages += 1
        for number, line in enumerate(page.lines, 1):
            column = line.find(state.word)
            if column >= 0:
                end = column + 1 + len(state.word)
                yield page.at_span(Span(number, column + 1, number, end), f"`{state.word}` left")

    yield calls
    unregister("ZZ")
    assert "ZZ001" not in all_rules()


def _tree(tmp_path: Path, config: str, conf_py: str = "") -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(conf_py)
    (docs / "index.md").write_text("# Home\n\nSome text. FIXME later\n")
    (docs / ".nemo-docs-lint.toml").write_text(config)
    return docs


def test_a_new_family_runs_end_to_end(tmp_path: Path, zz_family: list[str]) -> None:
    docs = _tree(tmp_path, '[rules.ZZ001]\nword = "FIXME"\n')
    result = lint(LintRequest(paths=(docs,), select=("ZZ",), use_cache=False), cwd=tmp_path)
    assert [
        (d.code, d.severity, d.line, d.column, d.end_column, d.message) for d in result.diagnostics
    ] == [("ZZ001", Severity.WARNING, 3, 12, 17, "`FIXME` left")]
    assert zz_family.count("prepare") == 1 and "validate" in zz_family
    report = ReportContext(result=result, cwd=tmp_path)
    document = json.loads(render_json(report))
    assert document["diagnostics"][0]["name"] == "leftover-word"
    assert document["summary"]["by_code"] == {"ZZ001": 1}
    (sarif_rule,) = build_sarif(report)["runs"][0]["tool"]["driver"]["rules"]
    assert sarif_rule["id"] == "ZZ001"
    assert sarif_rule["properties"]["tags"] == ["documentation", "throwaway"]
    assert sarif_rule["help"]["text"].startswith("A page still contains the configured word")


def test_a_new_family_is_selected_and_suppressed_like_any_other(
    tmp_path: Path, zz_family: list[str]
) -> None:
    docs = _tree(
        tmp_path,
        'respect-suppress-warnings = true\n[rules.ZZ001]\nword = "FIXME"\n',
        conf_py='suppress_warnings = ["zz.leftover"]\n',
    )
    result = lint(LintRequest(paths=(docs,), select=("ZZ",), use_cache=False), cwd=tmp_path)
    assert result.diagnostics == []
    assert any("zz.leftover" in note and "ZZ001 not reported" in note for note in result.notes)
    default = lint(LintRequest(paths=(docs,), use_cache=False), cwd=tmp_path)
    assert [r.code for r in default.rules if r.family == "ZZ"] == ["ZZ001"]
    ignored = lint(LintRequest(paths=(docs,), ignore=("ZZ",), use_cache=False), cwd=tmp_path)
    assert "prepare" in zz_family and not any(r.family == "ZZ" for r in ignored.rules)


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ("[rules.ZZ001]\nword = 3\n", "`rules.ZZ001.word` = 3: expected a string"),
        ("[rules.ZZ001]\nwords = 'x'\n", "unknown key `rules.ZZ001.words`; did you mean `word`?"),
        ("[rules.ZZ002]\nword = 'x'\n", "`rules.ZZ002`: no rule or family has options"),
        ('[rules.ZZ001]\nword = ""\n', "[rules.ZZ001] word must not be empty"),
    ],
)
def test_a_new_family_options_are_validated(
    tmp_path: Path, zz_family: list[str], config: str, error: str
) -> None:
    docs = _tree(tmp_path, config)
    with pytest.raises(ConfigError) as raised:
        lint(LintRequest(paths=(docs,), select=("ZZ",), use_cache=False), cwd=tmp_path)
    assert error in str(raised.value)
    assert "prepare" not in zz_family
