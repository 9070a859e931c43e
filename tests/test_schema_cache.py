"""Schema-problem cache: warm runs validate nothing unchanged; schema, tool or jsonschema changes,
corrupt entries and uncacheable data are handled; identical frontmatter is validated once."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from helpers import write_tree

from nemo_docs_lint import schema_cache
from nemo_docs_lint.cache_file import MAGIC, checksum, tree_key
from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.schema import load_validator

BAD = """---
description: "One. Two."
categories: ["training"]
tags: ["grpo"]
personas: ["mle-focused", "Data Scientists"]
difficulty: "expert"
content_type: "tutorial"
modality: "text-only"
persona: x
---
# {title}
"""


def _tree(root: Path) -> Path:
    files = {f"p{n}.md": BAD.format(title=f"Page {n}") for n in range(4)}
    files["other.md"] = "---\ndescription: x\n---\n# Other\n"
    files["stamp.md"] = "---\ndescription: !!timestamp 2024-01-02\n---\n# Stamp\n"
    return write_tree(root / "docs", files)


def _run(docs: Path, **kwargs) -> list[tuple]:
    result = lint(LintRequest(paths=(docs,), select=("FM",), **kwargs), cwd=docs.parent)
    return [(d.path, d.code, d.line, d.column, d.message) for d in result.diagnostics]


def _count_validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = schema_cache.schema_problems

    def counting(validator, data):
        calls[0] += 1
        return real(validator, data)

    monkeypatch.setattr(schema_cache, "schema_problems", counting)
    return calls


def _cache_file(docs: Path) -> Path:
    return docs / ".nemo-docs-lint-cache" / "schema" / f"{tree_key(docs.resolve())}.bin"


def test_warm_run_validates_nothing_and_reports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _tree(tmp_path)
    uncached = _run(docs, use_cache=False)
    calls = _count_validations(monkeypatch)
    assert _run(docs) == uncached
    # four identical frontmatters validated once, other.md once, stamp.md (a datetime) uncached
    assert calls[0] == 3
    assert _cache_file(docs).is_file()
    calls[0] = 0
    assert _run(docs) == uncached
    assert calls[0] == 1  # only the timestamp page, which marshal cannot hold


def test_editing_the_schema_or_a_page_revalidates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _tree(tmp_path)
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object", "required": ["title"]}')
    first = _run(docs, schema=schema)
    assert {c for _, c, *_ in first} == {"FM003"}
    calls = _count_validations(monkeypatch)
    (docs / "p0.md").write_text(BAD.format(title="Changed").replace("expert", "beginner"))
    _run(docs, schema=schema)
    assert calls[0] == 2  # p0's new frontmatter, and stamp.md
    # another schema file content: every key changes (a new path, as validators are memoised)
    other = tmp_path / "schema2.json"
    other.write_text('{"type": "object", "required": ["summary"]}')
    calls[0] = 0
    assert "missing required key `summary`" in _run(docs, schema=other)[0][4]
    assert calls[0] == 4


@pytest.mark.parametrize("what", ["tool", "jsonschema"])
def test_another_tool_or_jsonschema_version_drops_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    docs = _tree(tmp_path)
    expected = _run(docs)
    if what == "tool":
        monkeypatch.setattr(schema_cache, "__version__", "99.0")
    else:
        monkeypatch.setattr(schema_cache, "_jsonschema_version", lambda: "0.0.1")
    calls = _count_validations(monkeypatch)
    assert _run(docs) == expected
    assert calls[0] == 3


def _plant(docs: Path, entries: dict) -> None:
    header = (schema_cache.FORMAT_KEY, schema_cache.__version__, schema_cache._jsonschema_version())
    payload = marshal.dumps((*header, entries))
    digest = checksum(payload)
    _cache_file(docs).parent.mkdir(parents=True, exist_ok=True)
    _cache_file(docs).write_bytes(MAGIC + digest + b"\n" + payload)


@pytest.mark.parametrize(
    "bad",
    [
        "not a tuple",
        (("missing", ("x",), "msg"),),  # three fields
        ((1, ("x",), "msg", "key"),),  # kind not a string
        (("missing", ["x"], "msg", "key"),),  # path not a tuple
        (("missing", (b"x",), "msg", "key"),),  # bytes in the path
        (("missing", ("x",), None, "key"),),
    ],
)
def test_malformed_entries_are_revalidated_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: object
) -> None:
    docs = _tree(tmp_path)
    expected = _run(docs)
    with_keys = marshal.loads(_cache_file(docs).read_bytes()[len(MAGIC) + 33 :])[-1]
    _plant(docs, dict.fromkeys(with_keys, bad))
    calls = _count_validations(monkeypatch)
    assert _run(docs) == expected
    assert calls[0] == 3
    calls[0] = 0
    assert _run(docs) == expected
    assert calls[0] == 1


def test_corrupt_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _tree(tmp_path)
    expected = _run(docs)
    path = _cache_file(docs)
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0xFF
    path.write_bytes(bytes(raw))
    calls = _count_validations(monkeypatch)
    assert _run(docs) == expected
    assert calls[0] == 3


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    docs = _tree(tmp_path)
    _run(docs, use_cache=False)
    assert not (docs / ".nemo-docs-lint-cache").exists()


def test_warm_run_neither_loads_the_schema_nor_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _tree(tmp_path)
    (docs / "stamp.md").unlink()  # a datetime is validated every run
    expected = _run(docs)

    def no_loading(path):
        raise AssertionError("schema loaded although cached")

    monkeypatch.setattr(schema_cache, "load_validator", no_loading)
    assert _run(docs) == expected
    assert _run(docs) == expected


def test_a_bad_schema_stays_a_config_error(tmp_path: Path) -> None:
    from nemo_docs_lint.config import ConfigError

    docs = _tree(tmp_path)
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object"}')
    _run(docs, schema=schema)
    schema.write_text('{"type": 12}')  # not a valid JSON Schema: another digest, checked again
    schema_cache.schema_digest.cache_clear()  # as in a new process (both are memoised per path)
    load_validator.cache_clear()
    with pytest.raises(ConfigError, match="not a valid JSON Schema"):
        _run(docs, schema=schema)


def test_a_planted_validity_mark_cannot_crash_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nemo_docs_lint.config import ConfigError

    docs = _tree(tmp_path)
    schema = tmp_path / "broken.json"
    schema.write_text("{not json")
    _plant(docs, {f"valid:{schema_cache.schema_digest(schema)}": True})
    # the mark skips the up-front check, but validating a page still needs the schema
    with pytest.raises(ConfigError, match="not valid JSON"):
        _run(docs, schema=schema)


def test_a_run_without_frontmatter_rules_keeps_the_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _tree(tmp_path)
    expected = _run(docs)
    lint(LintRequest(paths=(docs,), select=("LNK",)), cwd=docs.parent)
    calls = _count_validations(monkeypatch)
    assert _run(docs) == expected
    assert calls[0] == 1  # only the timestamp page


def test_entries_of_deleted_pages_are_pruned(tmp_path: Path) -> None:
    docs = _tree(tmp_path)
    _run(docs)
    before = len(marshal.loads(_cache_file(docs).read_bytes()[len(MAGIC) + 33 :])[-1])
    (docs / "other.md").unlink()
    _run(docs)
    after = len(marshal.loads(_cache_file(docs).read_bytes()[len(MAGIC) + 33 :])[-1])
    assert after == before - 1
