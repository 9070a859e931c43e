"""The configuration's JSON Schema (`schemas/config.schema.json`) and its error messages.

One schema covers `[tool.nemo-docs-lint]` (the `external` table included), per-rule options
(`[tool.nemo-docs-lint.rules.CODE]`: each rule that has options brings their schema, filled in
from the registry) and the dashboard's groups file (`$defs/groups-file`). Validation reports
every problem at once, each naming the key and what is allowed; callers add the file.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from .schema import default_schema_path
from .suggest import did_you_mean

_TYPES = {
    "array": "a list",
    "object": "a table",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
}


@functools.lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    path = default_schema_path().parent / "config.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def rule_options() -> dict[str, dict[str, Any]]:
    """The options schema of every rule or family that declares options, by code or prefix."""
    from .registry import options_schema

    tables: dict[str, dict[str, Any]] = options_schema()["properties"]
    return tables


def config_schema(options: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The whole schema, with `rules` listing the options of every rule that has some."""
    schema = copy.deepcopy(_shipped())
    schema["properties"]["rules"]["properties"] = dict(
        rule_options() if options is None else options
    )
    return schema


def groups_schema() -> dict[str, Any]:
    """The schema of a dashboard groups file: `$defs/groups-file` of the same document."""
    shipped = _shipped()
    return {"$schema": shipped["$schema"], "$defs": shipped["$defs"], "$ref": "#/$defs/groups-file"}


def problems(instance: object, schema: Mapping[str, Any]) -> list[str]:
    """Every way `instance` breaks `schema`, one sentence each, sorted by key (a valid table
    `schema_subset` can vouch for needs no jsonschema import)."""
    from .schema_subset import certainly_valid

    if certainly_valid(schema, instance):
        return []
    import jsonschema

    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    found = {item for error in validator.iter_errors(instance) for item in _describe(error)}
    return [message for _, message in sorted(found)]


def _key(path: Any, *more: object) -> str:
    return ".".join(str(part) for part in (*path, *more))


def _describe(error: Any) -> Iterator[tuple[str, str]]:
    """(key, message) for one jsonschema error; an unknown-keys error yields one per key."""
    key, value, kind, rule = _key(error.absolute_path), error.instance, error.validator, error
    if kind == "additionalProperties" and isinstance(value, dict):
        known = list(error.schema.get("properties", {}))
        for name in value:
            if name not in known:
                where = _key(error.absolute_path, name)
                hint = did_you_mean(str(name), known, "`")
                none = (
                    ": no rule or family has options"
                    if list(error.absolute_path) == ["rules"]
                    else ""
                )
                yield where, f"unknown key `{where}`{none}{hint}"
        return
    if kind == "required" and isinstance(value, dict):
        for name in rule.validator_value:
            if name not in value:
                prefix = f"`{key}`: " if key else ""
                yield key, f"{prefix}missing required key `{name}`"
        return
    if kind == "enum":
        allowed = [str(v) for v in rule.validator_value]
        hint = did_you_mean(str(value), allowed)
        yield key, f"`{key}` = {value!r} is not allowed; allowed: {' | '.join(allowed)}{hint}"
        return
    if kind in ("type", "anyOf", "oneOf"):
        yield key, f"`{key}` = {value!r}: expected {_expected(error.schema)}"
        return
    if kind == "format" and rule.validator_value == "regex":
        yield key, f"`{key}` = {value!r} is not a valid regular expression"
        return
    if "x-expected" in error.schema:  # the schema's own words for what a value must look like
        yield key, f"`{key}` = {value!r}: expected {error.schema['x-expected']}"
        return
    if kind == "minItems":
        yield key, f"`{key}` is empty; list at least {rule.validator_value}"
        return
    yield key, f"`{key}`: {error.message}"


def _expected(schema: Mapping[str, Any]) -> str:
    """What a (sub)schema accepts, in words: `a list`, `a string or false`."""
    if "anyOf" in schema or "oneOf" in schema:
        return " or ".join(_expected(s) for s in schema.get("anyOf", schema.get("oneOf", [])))
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return " or ".join(_TYPES.get(str(k), str(k)) for k in kinds)
    if isinstance(kinds, str):
        return _TYPES.get(kinds, kinds)
    return "a valid value"
