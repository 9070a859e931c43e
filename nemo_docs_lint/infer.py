"""Infer a frontmatter JSON Schema from the pages of a tree (`nemo-docs-lint init`).

For each key: its type (the one most pages use), whether it is required (on most pages that have
frontmatter), list lengths, and — for keys whose values repeat, a vocabulary rather than free
text — the values used, with their counts. A value that is a near-duplicate of a more common one
(`howto` / `how-to`, `Data Scientists` / `data-scientist-focused`) is drift: it is left out of
the enum, so the linter reports it with a did-you-mean, instead of being enshrined. A rare key
that is a near-duplicate of a common one (`persona` / `personas`) is drift too.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .words import plural

REQUIRED_SHARE = 0.5  # a key on more than half of the pages with frontmatter is required
MAX_ENUM = 40  # more distinct values than this is free text (tags, titles), not a vocabulary
ENUM_REPEAT = 0.5  # a vocabulary: distinct values are at most half of all uses
MAX_ENUM_VALUE = 60  # characters; longer values are prose

# Sphinx's and MyST's own file-wide keys: always allowed, never inferred.
SPHINX_KEYS: dict[str, dict[str, Any]] = {
    "orphan": {"description": "Sphinx: the page need not be in a toctree."},
    "tocdepth": {"description": "Sphinx: depth of the page's local table of contents."},
    "nocomments": {"description": "Sphinx: no comments on this page."},
    "nosearch": {"description": "Sphinx: leave this page out of the search index."},
    "html_meta": {"description": "MyST: HTML <meta> tags for this page.", "type": "object"},
    "myst": {"description": "MyST: per-page parser configuration.", "type": "object"},
}
_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))


@dataclass(frozen=True)
class Drift:
    """A value (or key) that looks like a misspelling of a more common one."""

    key: str  # the frontmatter key ("" for a drifting key itself)
    value: str
    count: int  # pages (or list items) using it
    likely: str  # the common spelling it resembles
    likely_count: int


@dataclass
class Inference:
    schema: dict[str, Any]
    pages: int  # pages with a frontmatter mapping
    drift: list[Drift] = field(default_factory=list)
    enums: dict[str, Counter[str]] = field(default_factory=dict)  # key -> allowed value counts


def near_duplicate(rare: str, common: str) -> bool:
    """Whether `rare` looks like another spelling of `common`: the same letters apart from case,
    spaces, hyphens and a plural `s`; one's words a prefix of the other's
    (`Data Scientists` / `data-scientist-focused`); or a one-letter typo in a longer word."""
    a, b = _words(rare), _words(common)
    if not a or not b:
        return False
    if a == b or "".join(a) == "".join(b):
        return rare != common
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if longer[: len(shorter)] == shorter:
        return True
    joined_a, joined_b = "".join(a), "".join(b)
    return min(len(joined_a), len(joined_b)) >= 6 and (
        difflib.SequenceMatcher(None, joined_a, joined_b).ratio() >= 0.9
    )


def _words(text: str) -> list[str]:
    """Lower-case words, plural `s` dropped: `Data Scientists` -> ["data", "scientist"]."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]


def _type_of(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    for python, name in _TYPES:
        if isinstance(value, python):
            return name
    return "null"


def infer_schema(frontmatters: Iterable[Mapping[str, Any]], title: str = "") -> Inference:
    """The schema the given frontmatter mappings share, and the drift among them."""
    pages = [dict(data) for data in frontmatters]
    keys: Counter[str] = Counter(key for data in pages for key in data if isinstance(key, str))
    inference = Inference(schema={}, pages=len(pages))
    drifting = _drifting_keys(keys)
    inference.drift += drifting
    properties: dict[str, Any] = {}
    for key, count in sorted(keys.items(), key=lambda item: (-item[1], item[0])):
        if key in SPHINX_KEYS or any(d.value == key for d in drifting):
            continue
        values = [data[key] for data in pages if key in data]
        properties[key] = _property(key, values, count, len(pages), inference)
    properties.update({k: v for k, v in SPHINX_KEYS.items() if k not in properties})
    required = [
        key
        for key, count in keys.items()
        if key in properties and key not in SPHINX_KEYS and count > REQUIRED_SHARE * len(pages)
    ]
    inference.schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title or "Page frontmatter",
        "description": (
            f"Inferred by nemo-docs-lint init from {plural(len(pages), 'page')} with frontmatter; "
            "edit freely."
        ),
        "type": "object",
        "required": sorted(required, key=lambda k: (-keys[k], k)),
        "properties": properties,
        "additionalProperties": False,
    }
    return inference


def _drifting_keys(keys: Counter[str]) -> list[Drift]:
    """Rare keys that look like a misspelling of a key used more than twice as often."""
    found = []
    for rare, count in keys.items():
        if rare in SPHINX_KEYS:
            continue
        for common, common_count in keys.most_common():
            if common != rare and common_count > 2 * count and near_duplicate(rare, common):
                found.append(Drift("", rare, count, common, common_count))
                break
    return sorted(found, key=lambda d: d.value)


def _property(
    key: str, values: list[Any], count: int, total: int, inference: Inference
) -> dict[str, Any]:
    types = Counter(_type_of(v) for v in values)
    kind = types.most_common(1)[0][0]
    spec: dict[str, Any] = {"description": f"On {count} of {plural(total, 'page')}."}
    if kind == "array":
        lists = [v for v in values if isinstance(v, list)]
        items = [item for v in lists for item in v]
        lengths = [len(v) for v in lists]
        spec.update(type="array", minItems=min(lengths), maxItems=max(lengths))
        if all(len(v) == len({_hashable(x) for x in v}) for v in lists):
            spec["uniqueItems"] = True
        item_spec = _vocabulary(key, items, inference)
        if item_spec is None:
            item_types = Counter(_type_of(i) for i in items)
            item_kind = item_types.most_common(1)[0][0] if items else "string"
            item_spec = {"type": item_kind} | ({"minLength": 1} if item_kind == "string" else {})
        spec["items"] = item_spec
        return spec
    vocabulary = _vocabulary(key, values, inference) if kind == "string" else None
    if vocabulary is not None:
        spec.update(vocabulary)
    elif kind != "null":
        spec["type"] = kind
    return spec


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) else repr(value)


def _vocabulary(key: str, values: list[Any], inference: Inference) -> dict[str, Any] | None:
    """`{"enum": [...]}` when the string values repeat like a vocabulary (drift left out)."""
    strings = [v for v in values if isinstance(v, str)]
    counts = Counter(strings)
    if not counts or len(counts) > MAX_ENUM or len(counts) > ENUM_REPEAT * len(strings):
        return None
    if any(len(v) > MAX_ENUM_VALUE for v in counts):
        return None
    accepted: Counter[str] = Counter()
    for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        match = next((a for a in accepted if near_duplicate(value, a)), None)
        if match is not None and accepted[match] > count:
            inference.drift.append(Drift(key, value, count, match, accepted[match]))
        else:
            accepted[value] = count
    inference.enums[key] = accepted
    listing = ", ".join(f"{v} ({n})" for v, n in accepted.most_common())
    return {"enum": sorted(accepted, key=lambda v: (-accepted[v], v)), "$comment": listing}
