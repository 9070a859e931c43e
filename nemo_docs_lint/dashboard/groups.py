"""Review groups: load and validate a groups file (TOML, or YAML), and assign files to groups.

```toml
[[group]]
name = "Core Setup & User Onboarding"
priority = "high"            # high / medium / low
reviewers = ["@docs-lead"]   # optional
url = "https://github.com/org/repo/pull/12"   # optional: the group's PR or tracking issue
files = ["index.md", "get-started/**", "about/**"]   # paths or globs, relative to the docs root
```
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config_schema import groups_schema, problems
from ..fileio import read_regular_text
from ..globs import GlobError, compile_pattern, matches
from ..suggest import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PRIORITIES = ("high", "medium", "low")
UNGROUPED = "Ungrouped"
_GROUP_KEYS = ("name", "priority", "reviewers", "url", "files")


class GroupsError(Exception):
    """A groups file the user must fix; reported without a traceback (exit code 2)."""


@dataclass(frozen=True)
class GroupSpec:
    """One review group as written in the groups file."""

    name: str
    priority: str
    files: tuple[str, ...]
    reviewers: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Assignment:
    """Which files each group holds, and what is wrong with the grouping itself."""

    files: dict[str, tuple[str, ...]]  # group name -> sorted paths (Ungrouped included)
    overlaps: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> group names
    unmatched: tuple[tuple[str, str], ...] = ()  # (group name, entry) matching no file


def load_groups(path: Path) -> list[GroupSpec]:
    """Read and validate a groups file (`.yaml`/`.yml` is YAML, anything else TOML): first
    against the configuration schema's `groups-file` (every problem at once), then its meaning."""
    try:
        text = read_regular_text(path, encoding="utf-8-sig")  # a named pipe: refused, not read
    except (OSError, UnicodeDecodeError) as exc:
        raise GroupsError(f"cannot read groups file {path}: {exc}") from exc
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        data = _load_yaml(text, path)
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise GroupsError(f"{path}: invalid TOML: {exc}") from exc
    found = problems(data, groups_schema())
    if found:
        lines = [f"{path}: {message}" for message in found]
        if len(lines) > 1:
            lines.insert(0, f"{path}: {len(lines)} problems")
        raise GroupsError("\n".join(lines))
    return parse_groups(data, str(path))


def _load_yaml(text: str, path: Path) -> object:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GroupsError(f"{path}: invalid YAML: {exc}") from exc


def parse_groups(data: object, origin: str) -> list[GroupSpec]:
    """Validate the loaded document: `group` is a list of tables with known, well-typed keys."""
    if not isinstance(data, dict):
        raise GroupsError(f"{origin}: expected a table with a `group` list ([[group]] tables)")
    for key in data:
        if key != "group":
            hint = did_you_mean(str(key), ["group"], "`")
            raise GroupsError(f"{origin}: unknown top-level key `{key}`{hint}")
    groups = data.get("group")
    if not isinstance(groups, list) or not groups:
        raise GroupsError(f"{origin}: no groups; add at least one [[group]] table")
    specs: list[GroupSpec] = []
    seen: set[str] = set()
    for number, table in enumerate(groups, start=1):
        spec = _parse_group(table, f"{origin}: group {number}")
        if spec.name in seen:
            raise GroupsError(f"{origin}: group {number}: the name {spec.name!r} is used twice")
        seen.add(spec.name)
        specs.append(spec)
    return specs


def _parse_group(table: object, where: str) -> GroupSpec:
    if not isinstance(table, dict):
        raise GroupsError(f"{where}: expected a table, found {type(table).__name__}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise GroupsError(f"{where}: `name` is required and must be a non-empty string")
    where = f"{where} ({name!r})"
    for key in table:
        if key not in _GROUP_KEYS:
            hint = did_you_mean(str(key), _GROUP_KEYS, "`")
            raise GroupsError(f"{where}: unknown key `{key}`{hint}")
    if name.strip().lower() == UNGROUPED.lower():
        raise GroupsError(f"{where}: {UNGROUPED!r} is reserved for pages in no group")
    priority = table.get("priority", "medium")
    if priority not in PRIORITIES:
        hint = did_you_mean(str(priority), PRIORITIES)
        raise GroupsError(
            f"{where}: `priority` = {priority!r} is not one of {', '.join(PRIORITIES)}{hint}"
        )
    files = _strings(table.get("files"), "files", where, required=True)
    for entry in files:
        if entry.startswith("/") or ".." in entry.split("/") or "\\" in entry:
            raise GroupsError(
                f"{where}: file entry {entry!r} must be a `/`-separated path or glob "
                "relative to the docs root"
            )
        try:
            compile_pattern(entry)
        except GlobError as exc:
            raise GroupsError(f"{where}: {exc}") from exc
    reviewers = _strings(table.get("reviewers", []), "reviewers", where, required=False)
    url = table.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        raise GroupsError(f"{where}: `url` must be an http(s) URL")
    return GroupSpec(name.strip(), priority, files, reviewers, url)


def _strings(value: object, key: str, where: str, *, required: bool) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GroupsError(f"{where}: `{key}` must be a list of non-empty strings")
    if required and not value:
        raise GroupsError(f"{where}: `{key}` is empty; list at least one path or glob")
    return tuple(v.strip() for v in value)


def assign(paths: Iterable[str], groups: list[GroupSpec]) -> Assignment:
    """Put each path in every group with a matching entry; the rest go to Ungrouped."""
    members: dict[str, list[str]] = {g.name: [] for g in groups}
    hits: dict[tuple[str, str], int] = {(g.name, e): 0 for g in groups for e in g.files}
    overlaps: dict[str, tuple[str, ...]] = {}
    ungrouped: list[str] = []
    for path in sorted(set(paths)):
        owners = []
        for group in groups:
            matched = [e for e in group.files if matches(path, e)]
            for entry in matched:
                hits[(group.name, entry)] += 1
            if matched:
                owners.append(group.name)
                members[group.name].append(path)
        if not owners:
            ungrouped.append(path)
        elif len(owners) > 1:
            overlaps[path] = tuple(owners)
    files = {name: tuple(paths) for name, paths in members.items()}
    files[UNGROUPED] = tuple(ungrouped)
    unmatched = tuple(key for key, count in hits.items() if count == 0)
    return Assignment(files, overlaps, unmatched)
