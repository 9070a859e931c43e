"""The rule registry: built-ins plus third-party rules from the entry-point group."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nemo_docs_lint import registry

PLUGIN = '''
from nemo_docs_lint.model import Severity
from nemo_docs_lint.registry import Scope, rule


@rule(code="XYZ001", name="plugin-rule", severity=Severity.NOTE, scope=Scope.PAGE)
def plugin_rule(page, ctx):
    """A rule from a plug-in.

    Why: to prove plug-ins load.
    """
    return iter(())
'''


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(registry, "_LOADED", False)
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    yield
    sys.modules.pop("xyz_rules", None)


def test_no_plugins_installed_skips_importlib_metadata() -> None:
    assert registry._may_have_plugins() is False


def test_plugin_rules_load_from_the_entry_point_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry
) -> None:
    (tmp_path / "xyz_rules.py").write_text(PLUGIN)
    info = tmp_path / "xyz_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: xyz-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[nemo_docs_lint.rules]\nxyz = xyz_rules\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert registry._may_have_plugins() is True
    rules = registry.all_rules()
    assert rules["XYZ001"].name == "plugin-rule"
    assert rules["XYZ001"].rationale == "to prove plug-ins load."
    assert "FM001" in rules


def test_broken_plugin_is_a_rule_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry
) -> None:
    info = tmp_path / "broken-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[nemo_docs_lint.rules]\nbroken = no_such_module\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(registry.RuleError, match="cannot load rule plug-in 'broken'"):
        registry.all_rules()
