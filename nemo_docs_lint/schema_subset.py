"""Frontmatter schemas that use only the common keywords, validated without importing jsonschema.

Importing jsonschema costs ~60 ms (its format checkers, `referencing`, attrs, the bundled
metaschemas), a fifth of a cold lint of a 260-page tree. The shipped schema and the ones
`nemo-docs-lint init` writes use a handful of keywords: `type`, string `enum`s, `required`,
`properties`, `additionalProperties` (a boolean), `items`, `minItems`, `maxItems`,
`uniqueItems`, `minLength`, `maxLength` and annotations. `compile_subset` accepts a schema only
when every subschema uses these alone, with values the metaschemas of drafts 6 to 2020-12 allow
(stricter where in doubt), so every schema it accepts is one jsonschema's `check_schema` passes.
`SubsetValidator.iter_errors` yields what jsonschema's would, in the same order, with the fields
`schema._classify` reads. Where jsonschema's answer would take more than those fields (an error
whose message is reported as written, items that are not all strings under `uniqueItems`), the
data is validated by jsonschema itself. Any other schema goes to jsonschema as before.

`certainly_valid` answers a narrower question for any Draft 2020-12 schema (the configuration's):
whether the data is valid for sure. Most configuration tables are, and then no error needs
wording; when it cannot tell, or the table is invalid, jsonschema reports as before.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterator
from typing import Any

_DIALECTS = frozenset(
    (
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    )
)
_TYPES = frozenset(("array", "boolean", "integer", "null", "number", "object", "string"))
_COUNTS = ("minItems", "maxItems", "minLength", "maxLength")
_TEXT = ("title", "description", "$comment")
_FLAGS = ("uniqueItems", "deprecated", "readOnly", "writeOnly")
# a plain absolute URL without fragment (what `$id` may be for every format checker installed)
_ID = re.compile(r"https?://[A-Za-z0-9._~:/?@!$&'()*+,;=%-]+\Z")
_MAX_DEPTH = 64


class SubsetError:
    """One validation error, with the fields of jsonschema's `ValidationError` the FM rules
    read."""

    __slots__ = ("absolute_path", "instance", "schema", "validator", "validator_value")

    def __init__(
        self, keyword: str, value: Any, instance: Any, schema: dict[str, Any], path: tuple[Any, ...]
    ) -> None:
        self.validator = keyword
        self.validator_value = value
        self.instance = instance
        self.schema = schema
        self.absolute_path = path


class _Unsure(Exception):
    """The data needs jsonschema's own answer."""


class SubsetValidator:
    """Validates data against a schema `compile_subset` accepted."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._full: Any = None  # jsonschema's validator, built when first needed

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        """The errors jsonschema's validator for this schema yields for `instance`, in order."""
        errors: list[SubsetError] = []
        try:
            _check(self.schema, instance, (), errors)
        except _Unsure:
            return iter(self.full().iter_errors(instance))
        return iter(errors)

    def full(self) -> Any:
        """jsonschema's validator for the schema (with its format checker, as `load_validator`
        builds it)."""
        if self._full is None:
            import jsonschema
            from jsonschema.validators import validator_for

            cls = validator_for(self.schema, default=jsonschema.Draft202012Validator)
            self._full = cls(self.schema, format_checker=cls.FORMAT_CHECKER)
        return self._full


def compile_subset(schema: object) -> SubsetValidator | None:
    """A validator for `schema` when it uses only the subset, else None."""
    if not isinstance(schema, dict):
        return None
    if "$schema" in schema:
        dialect = schema["$schema"]
        if not isinstance(dialect, str) or dialect.removesuffix("#") not in _DIALECTS:
            return None
    if "$id" in schema and not (isinstance(schema["$id"], str) and _ID.match(schema["$id"])):
        return None
    rest = {key: value for key, value in schema.items() if key not in ("$schema", "$id")}
    try:
        accepted = _accepts(rest, 0)
    except RecursionError:
        return None
    return SubsetValidator(schema) if accepted else None


def _accepts(schema: dict[str, Any], depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    for key, value in schema.items():
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not names or len(set(map(str, names))) != len(names):
                return False
            if not all(isinstance(name, str) and name in _TYPES for name in names):
                return False
        elif key == "enum":
            if not isinstance(value, list) or not value:
                return False
            if not all(type(item) is str for item in value) or len(set(value)) != len(value):
                return False
        elif key == "required":
            if not isinstance(value, list) or not all(type(item) is str for item in value):
                return False
            if len(set(value)) != len(value):
                return False
        elif key == "properties":
            if not isinstance(value, dict):
                return False
            if not all(_accepts_subschema(sub, depth + 1) for sub in value.values()):
                return False
        elif key == "additionalProperties":
            if not (value is True or value is False or (isinstance(value, dict) and not value)):
                return False
        elif key == "items":
            if not _accepts_subschema(value, depth + 1):
                return False
        elif key in _COUNTS:
            if type(value) is not int or value < 0:
                return False
        elif key in _TEXT:
            if type(value) is not str:
                return False
        elif key in _FLAGS:
            if type(value) is not bool:
                return False
        elif key == "examples":
            if not isinstance(value, list):
                return False
        elif key != "default":
            return False
    return True


def _accepts_subschema(schema: object, depth: int) -> bool:
    return schema is True or (isinstance(schema, dict) and _accepts(schema, depth))


def _is_type(instance: Any, name: str) -> bool:
    """jsonschema's type checker of drafts 6 to 2020-12."""
    if name == "string":
        return isinstance(instance, str)
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if name == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    return isinstance(instance, numbers.Number)  # "number"


def _check(
    schema: dict[str, Any], instance: Any, path: tuple[Any, ...], out: list[SubsetError]
) -> None:
    """Append the errors of `instance` against `schema` (keywords in the schema's order)."""
    for key, value in schema.items():
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not any(_is_type(instance, name) for name in names):
                out.append(SubsetError(key, value, instance, schema, path))
        elif key == "enum":
            if not (isinstance(instance, str) and instance in value):
                out.append(SubsetError(key, value, instance, schema, path))
        elif key == "required":
            if isinstance(instance, dict):
                for name in value:
                    if name not in instance:
                        out.append(SubsetError(key, value, instance, schema, path))
        elif key == "properties":
            if isinstance(instance, dict):
                for name, sub in value.items():
                    if name in instance and sub is not True:
                        _check(sub, instance[name], (*path, name), out)
        elif key == "additionalProperties":
            if value is False and isinstance(instance, dict):
                known = schema.get("properties", {})
                if any(name not in known for name in instance):
                    out.append(SubsetError(key, value, instance, schema, path))
        elif key == "items":
            if isinstance(instance, list) and value is not True:
                for index, item in enumerate(instance):
                    _check(value, item, (*path, index), out)
        elif key == "minItems":
            if isinstance(instance, list) and len(instance) < value:
                out.append(SubsetError(key, value, instance, schema, path))
        elif key == "maxItems":
            if isinstance(instance, list) and len(instance) > value:
                out.append(SubsetError(key, value, instance, schema, path))
        elif key == "uniqueItems":
            if value and isinstance(instance, list):
                if not all(type(item) is str for item in instance):
                    raise _Unsure
                if len(set(instance)) != len(instance):
                    out.append(SubsetError(key, value, instance, schema, path))
        elif key == "minLength":
            if isinstance(instance, str) and len(instance) < value:
                raise _Unsure  # reported with jsonschema's own message
        elif key == "maxLength" and isinstance(instance, str) and len(instance) > value:
            raise _Unsure


# Every keyword Draft 2020-12 asserts (jsonschema's `Draft202012Validator.VALIDATORS`); others are
# annotations it ignores. `certainly_valid` checks those in `_CHECKED` and is unsure of the rest.
_VOCABULARY = frozenset(
    [
        "$dynamicRef",
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "contains",
        "dependentRequired",
        "dependentSchemas",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "prefixItems",
        "properties",
        "propertyNames",
        "required",
        "type",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
    ]
)
_CHECKED = _VOCABULARY - {
    "$dynamicRef",
    "contains",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "maxProperties",
    "minProperties",
    "multipleOf",
    "prefixItems",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
}


def certainly_valid(schema: Any, instance: Any) -> bool:
    """Whether `instance` is valid against the Draft 2020-12 `schema` for sure (jsonschema's
    validator, with its format checker, would find no error); False when it is not, or when
    that takes jsonschema to tell (a keyword or a value outside what is checked here)."""
    try:
        return _valid(schema, instance, _Root(schema))
    except (_Unsure, RecursionError, re.error, TypeError, ValueError):
        return False


def _valid(schema: Any, instance: Any, root: _Root) -> bool:
    if schema is True:
        return True
    if not isinstance(schema, dict):
        if schema is False:
            return False
        raise _Unsure
    for key, value in schema.items():
        if key not in _VOCABULARY:
            continue  # an annotation (jsonschema ignores it too)
        if key not in _CHECKED or not _keyword_valid(key, value, schema, instance, root):
            return False
    return True


def _keyword_valid(
    key: str, value: Any, schema: dict[str, Any], instance: Any, root: _Root
) -> bool:
    if key == "type":
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(name in _TYPES for name in names):
            raise _Unsure
        return any(_is_type(instance, name) for name in names)
    if key in ("enum", "const"):
        members = value if key == "enum" else [value]
        if instance is True or instance is False or instance is None:
            return any(member is instance for member in members)
        if type(instance) is not str:
            raise _Unsure  # jsonschema's equality of other values is its own
        return any(type(member) is str and member == instance for member in members)
    if key == "required":
        return not isinstance(instance, dict) or all(name in instance for name in value)
    if key == "properties":
        if not isinstance(instance, dict):
            return True
        return all(
            _valid(sub, instance[name], root) for name, sub in value.items() if name in instance
        )
    if key == "patternProperties":
        if not isinstance(instance, dict):
            return True
        if not all(type(name) is str for name in instance):
            raise _Unsure
        return all(
            _valid(sub, item, root)
            for pattern, sub in value.items()
            for name, item in instance.items()
            if re.search(pattern, name)
        )
    if key == "additionalProperties":
        if not isinstance(instance, dict):
            return True
        known = schema.get("properties", {})
        patterns = list(schema.get("patternProperties", {}))
        if patterns and not all(type(name) is str for name in instance):
            raise _Unsure
        extras = [
            name
            for name in instance
            if name not in known and not any(re.search(p, name) for p in patterns)
        ]
        return all(_valid(value, instance[name], root) for name in extras)
    if key == "items":
        if not isinstance(instance, list):
            return True
        if "prefixItems" in schema:
            raise _Unsure
        return all(_valid(value, item, root) for item in instance)
    if key in ("minItems", "maxItems", "minLength", "maxLength"):
        kind = list if key.endswith("Items") else str
        if not isinstance(instance, kind):
            return True
        if type(value) is not int:
            raise _Unsure
        return len(instance) >= value if key.startswith("min") else len(instance) <= value
    if key == "uniqueItems":
        if not value or not isinstance(instance, list):
            return True
        if not all(type(item) is str for item in instance):
            raise _Unsure
        return len(set(instance)) == len(instance)
    if key == "pattern":
        return not isinstance(instance, str) or re.search(value, instance) is not None
    if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if not _is_type(instance, "number"):
            return True
        if type(value) not in (int, float) or type(instance) not in (int, float):
            raise _Unsure
        if key == "minimum":
            return bool(instance >= value)
        if key == "maximum":
            return bool(instance <= value)
        return bool(instance > value) if key == "exclusiveMinimum" else bool(instance < value)
    if key == "format":
        if value != "regex":
            raise _Unsure  # what other formats check depends on what is installed
        if isinstance(instance, str):
            re.compile(instance)  # re.error: jsonschema's answer
        return True
    if key in ("anyOf", "oneOf", "allOf"):
        if not isinstance(value, list):
            raise _Unsure
        passed = sum(_valid(sub, instance, root) for sub in value)
        if key == "anyOf":
            return passed >= 1
        return passed == 1 if key == "oneOf" else passed == len(value)
    if key == "not":
        return not _valid(value, instance, root)
    if key == "$ref":
        return _valid(root.resolve(value), instance, root)
    raise _Unsure


class _Root:
    """The schema document, for its local references."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._plain: bool | None = None  # no `$id` or `$anchor` below the root

    def resolve(self, ref: object) -> Any:
        """The subschema a local `#/...` JSON pointer names (no other reference is resolved)."""
        if not isinstance(ref, str) or not ref.startswith("#") or "%" in ref:
            raise _Unsure
        if self._plain is None:
            self._plain = not any(
                "$id" in node or "$anchor" in node for node in _nested(self.schema)
            )
        if not self._plain:
            raise _Unsure  # another base URI or an anchor: left to jsonschema
        return _pointer(self.schema, ref)


def _pointer(root: Any, ref: str) -> Any:
    target = root
    for part in ref[1:].split("/")[1:] if ref != "#" else ():
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            raise _Unsure
    return target


def _nested(root: Any) -> Iterator[dict[str, Any]]:
    """Every subschema object below the root (iteratively)."""
    stack: list[Any] = [root]
    first = True
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not first:
                yield item
            first = False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
