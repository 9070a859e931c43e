"""The subset validator: it accepts only schemas jsonschema accepts, and its errors classify into
exactly the problems jsonschema's do, for the shipped schema and for generated ones."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for

from nemo_docs_lint.schema import default_schema_path, schema_problems
from nemo_docs_lint.schema_subset import (
    _VOCABULARY,
    SubsetValidator,
    certainly_valid,
    compile_subset,
)

DEFAULT = json.loads(default_schema_path().read_text(encoding="utf-8"))
WORDS = ["beginner", "advanced", "mle-focused", "text-only", "a", "", "tutorial", "x,y"]
KEYS = [*DEFAULT["properties"], "persona", "extra", "tag"]


def _jsonschema(schema: dict[str, Any]) -> Any:
    cls = validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _same(schema: dict[str, Any], data: Any) -> None:
    subset = compile_subset(schema)
    assert subset is not None
    assert schema_problems(subset, data) == schema_problems(_jsonschema(schema), data)


scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=4),
    st.integers(-2, 3),
    st.sampled_from([1.0, 2.5, float("nan"), float("inf")]),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=10), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
frontmatter = st.dictionaries(st.sampled_from(KEYS), values, max_size=10)


@settings(max_examples=200, deadline=None)
@given(frontmatter)
def test_the_shipped_schema_gives_jsonschemas_problems(data: dict[str, Any]) -> None:
    _same(DEFAULT, data)


SUBSET_KEYWORDS = ["type", "enum", "required", "properties", "additionalProperties", "items"]
SUBSET_KEYWORDS += ["minItems", "maxItems", "uniqueItems", "description", "title"]
TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"]
counts = st.integers(0, 4)


@st.composite
def subschemas(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    keywords = draw(
        st.lists(
            st.sampled_from(
                [*SUBSET_KEYWORDS, "minLength", "maxLength", "$comment", "default", "examples"]
            ),
            unique=True,
            max_size=6,
        )
    )
    for key in keywords:
        if key == "type":
            schema[key] = draw(
                st.one_of(
                    st.sampled_from(TYPES),
                    st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
                )
            )
        elif key == "enum":
            schema[key] = draw(st.lists(st.sampled_from(WORDS), min_size=1, unique=True))
        elif key == "required":
            schema[key] = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=4))
        elif key in ("properties", "items"):
            if depth >= 2:
                continue
            child = st.one_of(st.just(True), subschemas(depth + 1))
            if key == "items":
                schema[key] = draw(child)
            else:
                schema[key] = draw(st.dictionaries(st.sampled_from(KEYS), child, max_size=4))
        elif key == "additionalProperties":
            schema[key] = draw(st.sampled_from([True, False, {}]))
        elif key in ("minItems", "maxItems", "minLength", "maxLength"):
            schema[key] = draw(counts)
        elif key == "uniqueItems":
            schema[key] = draw(st.booleans())
        elif key == "examples":
            schema[key] = draw(st.lists(scalars, max_size=2))
        elif key == "default":
            schema[key] = draw(values)
        else:
            schema[key] = draw(st.sampled_from(["", "words"]))
    return schema


dialects = st.sampled_from(
    [
        None,
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "http://json-schema.org/draft-07/schema#",
        "http://json-schema.org/draft-06/schema#",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subschemas(), dialects, st.lists(values, min_size=1, max_size=5))
def test_generated_subset_schemas_give_jsonschemas_problems(
    schema: dict[str, Any], dialect: str | None, data: list[Any]
) -> None:
    if dialect is not None:
        schema = {"$schema": dialect, **schema}
    _jsonschema(schema).check_schema(schema)  # every accepted schema is a valid one
    for item in data:
        _same(schema, item)


# values a keyword of the subset may not take, with others jsonschema rejects or reads otherwise
odd_values = st.one_of(
    values,
    st.sampled_from([-1, 1.0, 2.5, "string", [], ["nope"], {"type": 3}, {"a": 1}]),
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [*SUBSET_KEYWORDS, "examples", "deprecated", "$id", "$schema", "format", "$ref"]
        ),
        odd_values,
        max_size=4,
    )
)
def test_an_accepted_schema_is_always_valid(schema: dict[str, Any]) -> None:
    if compile_subset(schema) is not None:
        _jsonschema(schema).check_schema(schema)


@pytest.mark.parametrize(
    "schema",
    [
        {"properties": {"date": {"type": "string", "format": "date"}}},  # formats
        {"properties": {"slug": {"pattern": "^[a-z]+$"}}},
        {"$defs": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/s"}}},
        {"additionalProperties": {"type": "string"}},
        {"enum": [1, 2]},
        {"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"},
        {"properties": {"a": {"$id": "https://example.com/a"}}},
        {"minItems": 1.0},
        True,
    ],
)
def test_schemas_beyond_the_subset_are_left_to_jsonschema(schema: Any) -> None:
    assert compile_subset(schema) is None


def test_the_shipped_schema_is_in_the_subset() -> None:
    assert isinstance(compile_subset(DEFAULT), SubsetValidator)


def test_a_message_reported_as_written_comes_from_jsonschema() -> None:
    schema = {"properties": {"tags": {"type": "array", "items": {"minLength": 1}}}}
    subset = compile_subset(schema)
    assert subset is not None
    (problem,) = schema_problems(subset, {"tags": ["a", ""]})
    assert (problem.path, problem.message) == (
        ("tags", 1),
        "`tags[1]`: '' should be non-empty",
    )


CONFIG_WORDS = ["FM", "FM001", "LNK", "ALL", "error", "warning", "note", "docs/**", "*.md", "x"]
CONFIG_WORDS += ["[a-", "^v\\d+$", "", "https://example.com/", "a,b"]
config_scalars = st.one_of(
    st.sampled_from(CONFIG_WORDS),
    st.integers(-1, 100),
    st.sampled_from([0.5, 1.0, 30.0]),
    st.booleans(),
)
config_values = st.recursive(
    config_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from([*CONFIG_WORDS, "timeout", "words", "keys"]), inner, max_size=3
        ),
    ),
    max_leaves=8,
)


DEFAULT_CONFIG_KEYS = ["root", "schema", "schemas", "select", "extend-select", "ignore"]
DEFAULT_CONFIG_KEYS += ["per-file-ignores", "exclude", "severity", "fail-on", "generated"]
DEFAULT_CONFIG_KEYS += ["respect-suppress-warnings", "cache-dir", "external"]
RULE_OPTION_KEYS = ["words", "keys", "max-words", "unknown"]


def _config_schema() -> dict[str, Any]:
    from nemo_docs_lint.config_schema import config_schema

    return config_schema()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from([*DEFAULT_CONFIG_KEYS, "rules", "unknown"]), config_values, max_size=5
    ),
    st.data(),
)
def test_a_config_certainly_valid_has_no_jsonschema_error(table: dict[str, Any], data: Any) -> None:
    schema = _config_schema()
    rules = data.draw(
        st.dictionaries(
            st.sampled_from(sorted(schema["properties"]["rules"]["properties"])),
            st.dictionaries(st.sampled_from(RULE_OPTION_KEYS), config_values, max_size=2),
            max_size=2,
        )
    )
    if rules:
        table = {**table, "rules": rules}
    errors = list(
        jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).iter_errors(table)
    )
    if certainly_valid(schema, table):
        assert errors == []


@pytest.mark.parametrize(
    "table",
    [
        {},
        {
            "select": ["FM", "LNK"],
            "exclude": ["drafts/**"],
            "per-file-ignores": {"api/**": ["FM001"]},
        },
        {"severity": {"CQ": "note"}, "fail-on": "warning", "generated": ["api"], "root": "docs"},
        {"schemas": {"reference/**": False, "guides/**": "schema.json"}, "cache-dir": ".cache"},
        {"external": {"timeout": 5, "concurrency": 8}, "respect-suppress-warnings": True},
    ],
)
def test_common_configs_are_checked_without_jsonschema(table: dict[str, Any]) -> None:
    schema = _config_schema()
    assert certainly_valid(schema, table)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(table)) == []


def test_every_keyword_jsonschema_asserts_is_known() -> None:
    """A keyword a newer jsonschema asserts must not pass for an annotation."""
    assert set(jsonschema.Draft202012Validator.VALIDATORS) <= _VOCABULARY
