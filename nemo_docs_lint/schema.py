"""Load frontmatter JSON Schemas and turn validation errors into classified, positioned problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from .schema_subset import SubsetValidator

import enum
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .fileio import read_regular
from .suggest import closest


class SchemaLoadError(Exception):
    """A schema file that cannot be used (missing, not JSON, not a valid schema)."""


class ProblemKind(str, enum.Enum):
    """What kind of schema violation a problem is; each FM rule reports one kind."""

    MISSING = "missing"  # FM003
    ENUM = "enum"  # FM004
    COUNT = "count"  # FM005
    TYPE = "type"  # FM006
    UNKNOWN = "unknown"  # FM007
    DUPLICATE = "duplicate"  # FM009
    OTHER = "other"  # FM010


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One schema violation, classified for the rule that reports it.

    path: where in the data (for `missing` and `unknown`: the key itself)
    at:   "key" to report at the key, "value" at the value or list item
    suggestion: the one close allowed value (`enum`) or known key (`unknown`), if any
    """

    kind: ProblemKind
    path: tuple[Any, ...]
    message: str
    at: str = "key"
    suggestion: str | None = None


@functools.lru_cache(maxsize=1)
def default_schema_path() -> Path:
    """The schema shipped with the package (inside the wheel, or at the repo root in a checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas", here.parent / "schemas"):
        path = candidate / "frontmatter.schema.json"
        if path.is_file():
            return path
    raise SchemaLoadError("the default frontmatter schema is missing from the installation")


@functools.lru_cache(maxsize=32)
def load_validator(path: Path) -> Validator | SubsetValidator:
    """Build the validator for a schema file once per run: `schema_subset`'s when the schema
    uses only its keywords (no jsonschema import), else jsonschema's."""
    from .schema_subset import compile_subset

    try:
        schema = json.loads(read_regular(path).decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SchemaLoadError(f"cannot read schema {path}: not valid UTF-8") from exc
    except RecursionError as exc:
        raise SchemaLoadError(f"schema {path} is nested too deeply") from exc
    except OSError as exc:
        raise SchemaLoadError(f"cannot read schema {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise SchemaLoadError(
            f"schema {path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    if not isinstance(schema, (dict, bool)):
        raise SchemaLoadError(f"schema {path} must be a JSON object")
    subset = compile_subset(schema)
    if subset is not None:
        return subset
    import jsonschema
    from jsonschema.validators import validator_for

    cls = validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)  # type: ignore[arg-type]  # True/False are schemas too
    except jsonschema.SchemaError as exc:
        raise SchemaLoadError(f"schema {path} is not a valid JSON Schema: {exc.message}") from exc
    except RecursionError as exc:
        raise SchemaLoadError(f"schema {path} is nested too deeply") from exc
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    problem = ref_problem(validator)
    if problem:
        raise SchemaLoadError(f"schema {path}: {problem}")
    return validator


# Keywords that apply a subschema to the same instance: a `$ref` cycle through these alone
# never ends (`{"$ref": "#"}`).
_IN_PLACE_ONE = ("not", "if", "then", "else")
_IN_PLACE_MANY = ("allOf", "anyOf", "oneOf")


def ref_problem(validator: Any) -> str | None:
    """Why the schema's `$ref`s cannot work (one that resolves nowhere, or a loop that applies
    to the same value forever), or None. Schemas with nested `$id`s are left to validation."""
    from referencing.exceptions import Unresolvable

    root = validator.schema
    if not isinstance(root, dict):
        return None
    nodes = list(_subschemas(root))
    if any(("$id" in node or "id" in node) and node is not root for node in nodes):
        return None
    resolver = validator._resolver  # jsonschema's referencing.Resolver for the root document
    edges: dict[int, list[dict[str, Any]]] = {}
    for node in nodes:
        targets: list[dict[str, Any]] = []
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                resolved = resolver.lookup(ref).contents
            except Unresolvable:
                remote = "" if ref.startswith("#") else " (remote schemas are not fetched)"
                return f"`$ref` {ref!r} resolves to nothing{remote}"
            if isinstance(resolved, dict):
                targets.append(resolved)
        targets += [node[k] for k in _IN_PLACE_ONE if isinstance(node.get(k), dict)]
        for key in _IN_PLACE_MANY:
            if isinstance(node.get(key), list):
                targets += [item for item in node[key] if isinstance(item, dict)]
        edges[id(node)] = targets
    loop = _find_loop(nodes, edges)
    return f"`$ref` loop through {loop!r} never reaches a constraint" if loop else None


def _subschemas(value: object) -> Iterator[dict[str, Any]]:
    """Every JSON object in the schema document (iteratively: deep schemas do not recurse)."""
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _find_loop(nodes: list[dict[str, Any]], edges: dict[int, list[dict[str, Any]]]) -> str | None:
    """The `$ref` of a node on a cycle of in-place edges, if there is one."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in nodes:
        if id(start) in state:
            continue
        stack = [(start, iter(edges.get(id(start), ())))]
        state[id(start)] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[id(node)] = 2
                stack.pop()
            elif state.get(id(child)) == 1:
                return str(node.get("$ref") or child.get("$ref") or "#")
            elif id(child) not in state:
                state[id(child)] = 1
                stack.append((child, iter(edges.get(id(child), ()))))
    return None


def schema_problems(
    validator: Validator | SubsetValidator, data: dict[str, Any]
) -> list[SchemaProblem]:
    """Validate `data` and classify every error; sorted for stable output."""
    problems: list[SchemaProblem] = []
    for error in validator.iter_errors(data):
        problems.extend(_classify(error))
    return list(dict.fromkeys(problems))  # `required` reports each missing key once per error


def _label(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "frontmatter"


_YAML_TYPE = {
    "array": "a list",
    "object": "a mapping",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _yaml_type_of(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    return "a string"


def _classify(error: Any) -> Iterator[SchemaProblem]:  # a jsonschema ValidationError
    path = tuple(error.absolute_path)
    keyword = error.validator
    where = _label(path)
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in instance:
                container = f" in `{where}`" if path else ""
                yield SchemaProblem(
                    ProblemKind.MISSING, (*path, key), f"missing required key `{key}`{container}"
                )
    elif keyword == "enum":
        allowed = [v for v in error.validator_value if isinstance(v, str)]
        match = closest(error.instance, allowed) if isinstance(error.instance, str) else None
        hint = f"; did you mean '{match}'?" if match else ""
        shown = ", ".join(str(v) for v in error.validator_value)
        yield SchemaProblem(
            ProblemKind.ENUM,
            path,
            f"`{where}` value {error.instance!r} is not allowed{hint} (allowed: {shown})",
            at="value",
            suggestion=match,
        )
    elif keyword in ("minItems", "maxItems"):
        count = len(error.instance)
        low, high = error.schema.get("minItems"), error.schema.get("maxItems")
        if low is not None and high is not None:
            wanted = f"use {low} to {high}"
        elif low is not None:
            wanted = f"use at least {low}"
        else:
            wanted = f"use at most {high}"
        noun = "item" if count == 1 else "items"
        yield SchemaProblem(ProblemKind.COUNT, path, f"`{where}` has {count} {noun}; {wanted}")
    elif keyword == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_YAML_TYPE.get(t, t) for t in expected)
        got = _yaml_type_of(error.instance)
        example = ""
        if "array" in expected and isinstance(error.instance, str) and "," in error.instance:
            items = ", ".join(s.strip() for s in error.instance.split(",") if s.strip())
            example = f" (write `[{items}]`)"
        yield SchemaProblem(
            ProblemKind.TYPE, path, f"`{where}` must be {wanted}, not {got}{example}", at="value"
        )
    elif keyword in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_keys(error, path)
    elif keyword == "uniqueItems":
        seen: dict[str, int] = {}
        for index, item in enumerate(error.instance):
            token = json.dumps(item, sort_keys=True, default=str)
            if token in seen:
                yield SchemaProblem(
                    ProblemKind.DUPLICATE,
                    (*path, index),
                    f"`{where}` lists {item!r} more than once (also item {seen[token] + 1})",
                    at="value",
                )
            else:
                seen[token] = index
    else:
        yield SchemaProblem(ProblemKind.OTHER, path, f"`{where}`: {error.message}", at="value")


def _unknown_keys(error: Any, path: tuple[Any, ...]) -> Iterator[SchemaProblem]:
    import re

    schema = error.schema
    known = list(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, dict) else {}
    for key in instance:
        if key in known or any(p.search(str(key)) for p in patterns):
            continue
        match = closest(str(key), known)
        hint = f"; did you mean `{match}`?" if match else ""
        yield SchemaProblem(
            ProblemKind.UNKNOWN,
            (*path, key),
            f"unknown key `{_label((*path, key))}`{hint}",
            suggestion=match if match is not None and match not in instance else None,
        )
