"""`--format sarif`: one SARIF 2.1.0 run, shaped for GitHub code scanning.

Paths are relative to the repository root under the `%SRCROOT%` base id (never absolute), the
rule table comes from the registry, and `partialFingerprints` hash the offending line's content
rather than its number. Nothing depends on the clock or the machine, so two runs on the same tree
produce identical bytes.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..fingerprints import FINGERPRINT_VERSION, Fingerprinter
from ..model import Diagnostic, Severity
from ..registry import Rule, Scope, all_rules
from .base import ReportContext, Reporter, printable, quote_path, register

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/nemo-docs-lint/nemo-docs-lint"
HELP_URI = INFORMATION_URI + "#rules"
SRCROOT = "%SRCROOT%"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def render(report: ReportContext) -> str:
    """The SARIF log as pretty-printed JSON text."""
    return printable(json.dumps(build(report), indent=2, ensure_ascii=False), True) + "\n"


def build(report: ReportContext) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    result = report.result
    rules = _rules_for(result.rules, result.diagnostics)
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    fingerprinter = Fingerprinter(result.config, result.index)
    prints = fingerprinter.partial_fingerprints(result.diagnostics)
    results = [
        _result(d, rule_index[d.code], fingerprinter.repo_path(d), fingerprint)
        for d, fingerprint in zip(result.diagnostics, prints, strict=True)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "nemo-docs-lint",
                "fullName": "nemo-docs-lint: a linter for Sphinx + MyST documentation trees",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository that was linted."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules_for(enabled: list[Rule], diagnostics: list[Diagnostic]) -> list[Rule]:
    """The rules that ran, plus any rule a diagnostic names, sorted by code."""
    rules = {rule.code: rule for rule in enabled}
    missing = {d.code for d in diagnostics} - rules.keys()
    if missing:
        registry = all_rules()
        for code in missing:
            rules[code] = registry.get(code) or _unknown_rule(code)
    return [rules[code] for code in sorted(rules)]


def _unknown_rule(code: str) -> Rule:
    return Rule(
        code=code,
        name=code.lower(),
        severity=Severity.WARNING,
        scope=Scope.TREE,
        check=lambda *_: iter(()),
        summary=f"Diagnostic {code} (no rule registered under this code).",
    )


def _descriptor(rule: Rule) -> dict[str, Any]:
    summary = _sentence(rule.summary or rule.name)
    full = " ".join(part for part in (rule.summary, rule.description) if part) or summary
    return {
        "id": rule.code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _sentence(full)},
        "help": {"text": rule.help_text or summary, "markdown": rule.help_markdown or summary},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": list(rule.sarif_tags), "family": rule.family, "slug": rule.name},
    }


def _result(d: Diagnostic, index: int, uri: str, fingerprint: str) -> dict[str, Any]:
    end_line = d.end_line if d.end_line is not None else d.line
    end_column = d.end_column if d.end_column is not None else d.column + 1
    if end_line < d.line or (end_line == d.line and end_column <= d.column):
        end_line, end_column = d.line, d.column + 1
    return {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": _LEVEL[d.severity],
        "message": {"text": _sentence(d.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(uri), "uriBaseId": SRCROOT},
                    "region": {
                        "startLine": d.line,
                        "startColumn": d.column,
                        "endLine": end_line,
                        "endColumn": end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_VERSION: fingerprint},
    }


def _uri(path: str) -> str:
    """A relative URI reference: percent-encode what a path may hold but a URI may not."""
    return quote_path(path, safe="/-._~!$&'()*+,;=@")


def _pascal(name: str) -> str:
    """`tag-count` -> `TagCount` (SARIF rule names are identifiers, not slugs)."""
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-"))


def _sentence(text: str) -> str:
    """SARIF wants plain-text messages that end with a period."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


register(Reporter("sarif", lambda report, options: render(report)))
