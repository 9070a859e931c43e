"""The rule registry: every rule and rule family, and everything they declare, in one table.

Rules register with the `@rule` decorator; a rule module declares its family once with
`family(...)` (its SARIF tag, its per-run hooks, its options). Built-in rules live in
`nemo_docs_lint.rules`, third-party rules load from the `nemo_docs_lint.rules` entry-point group.
The rule's docstring is its documentation (`nemo-docs-lint rules CODE`, SARIF `help`, the
README's rule table). The engine, the filter and the reporters read this table and nothing else
about rules: the Sphinx warning table, SARIF tags and the fixture test are generated from it.
"""

from __future__ import annotations

import enum
import inspect
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Finding, Severity

if TYPE_CHECKING:
    from .config import Config
    from .context import CheckContext

ENTRY_POINT_GROUP = "nemo_docs_lint.rules"
_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
_PREFIX = re.compile(r"^[A-Z]{2,4}$")
JSONSchema = Mapping[str, Any]  # a JSON Schema fragment (an object's schema)


class Scope(str, enum.Enum):
    """When a rule runs: per page, over the whole index, or (only when asked) over the network."""

    PAGE = "page"
    TREE = "tree"
    NETWORK = "network"


class RuleError(Exception):
    """A rule that cannot be registered or loaded."""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: Scope
    check: Callable[..., Iterator[Finding]] = field(repr=False, compare=False)
    summary: str = ""
    description: str = ""
    rationale: str = ""
    bad: str = ""
    good: str = ""
    tags: tuple[str, ...] = ()
    reads_body: bool = True  # False: the rule never looks at page.body (frontmatter, files)
    # False: never reads link/alt/role text, code blocks or prose ranges of page.body
    reads_content: bool = True
    sphinx_warnings: tuple[str, ...] = ()  # conf.py `suppress_warnings` types that hide it
    fixture_family: str | None = None  # fixtures check this family's codes; None: no fixtures
    options: JSONSchema | None = None  # schema of `[tool.nemo-docs-lint.rules.CODE]`
    default_selected: bool = True  # False: runs only when a selector names it (code, prefix, ALL)

    @property
    def family(self) -> str:
        return re.sub(r"\d+$", "", self.code)

    @property
    def sarif_tags(self) -> tuple[str, ...]:
        """`documentation`, the family's tag and the rule's own tags, sorted."""
        found = _FAMILIES.get(self.family)
        tag = found.tag if found is not None else self.family.lower()
        return tuple(sorted({"documentation", tag, *self.tags}))

    @property
    def help_text(self) -> str:
        """Plain-text documentation: what, why, bad and good example."""
        parts = [self.summary]
        if self.description:
            parts.append(self.description)
        if self.rationale:
            parts.append(f"Why: {self.rationale}")
        if self.bad:
            parts.append("Bad:\n" + _indent(self.bad))
        if self.good:
            parts.append("Good:\n" + _indent(self.good))
        if self.option_lines:
            parts.append("Options:\n" + _indent("\n".join(self.option_lines)))
        return "\n\n".join(parts)

    @property
    def option_lines(self) -> list[str]:
        """`name = default: description` for each option its schema declares (TOML values)."""
        properties = (self.options or {}).get("properties", {})
        lines = []
        for name, spec in properties.items():
            line = name if "default" not in spec else f"{name} = {_toml(spec['default'])}"
            lines.append(f"{line}: {spec['description']}" if "description" in spec else line)
        return lines

    @property
    def help_markdown(self) -> str:
        parts = [self.summary]
        if self.description:
            parts.append(self.description)
        if self.rationale:
            parts.append(f"**Why:** {self.rationale}")
        if self.bad:
            parts.append(f"**Bad:**\n\n```markdown\n{self.bad}\n```")
        if self.good:
            parts.append(f"**Good:**\n\n```markdown\n{self.good}\n```")
        if self.option_lines:
            items = "\n".join(f"- `{line}`" for line in self.option_lines)
            parts.append(f"**Options** (`[tool.nemo-docs-lint.rules.{self.code}]`):\n\n{items}")
        return "\n\n".join(parts)


Prepare = Callable[["Config", "CheckContext"], None]
Finish = Callable[["CheckContext"], None]
ValidateConfig = Callable[["Config"], None]


@dataclass(frozen=True)
class Family:
    """A rule family (the code prefix) and what it owns besides its rules.

    - `tag`: its SARIF tag (`frontmatter`, `links`, ...);
    - `validate_config(config)`: checks the family's settings on every run (raise ConfigError);
    - `prepare(config, ctx)`: runs before the tree is read when one of its rules is selected:
      load what the rules share into `ctx.memo`, check its settings (raise ConfigError);
    - `finish(ctx)`: runs after its rules (e.g. save a cache);
    - `options`: the schema of `[tool.nemo-docs-lint.rules.PREFIX]`, options every rule of the
      family reads.
    """

    prefix: str
    tag: str
    validate_config: ValidateConfig | None = None
    prepare: Prepare | None = None
    finish: Finish | None = None
    options: JSONSchema | None = None


_REGISTRY: dict[str, Rule] = {}
_FAMILIES: dict[str, Family] = {}
_LOADED = False


def family(
    prefix: str,
    *,
    tag: str,
    validate_config: ValidateConfig | None = None,
    prepare: Prepare | None = None,
    finish: Finish | None = None,
    options: JSONSchema | None = None,
) -> Family:
    """Declare a rule family (once, in its rule module); returns the declaration."""
    if not _PREFIX.match(prefix):
        raise RuleError(f"rule family {prefix!r} must be 2 to 4 capital letters")
    declared = Family(prefix, tag, validate_config, prepare, finish, options)
    existing = _FAMILIES.get(prefix)
    if existing is not None and existing != declared:
        raise RuleError(f"rule family {prefix} is declared twice")
    _FAMILIES[prefix] = declared
    return declared


def families() -> dict[str, Family]:
    """Every declared family by prefix (after loading the rules)."""
    all_rules()
    return dict(sorted(_FAMILIES.items()))


def families_of(rules: Iterable[Rule]) -> list[Family]:
    """The declared families of `rules`, by prefix."""
    prefixes = sorted({rule.family for rule in rules})
    return [_FAMILIES[p] for p in prefixes if p in _FAMILIES]


def options_schema() -> dict[str, Any]:
    """The schema of `[tool.nemo-docs-lint.rules]`: one table per rule or family with options."""
    tables: dict[str, Any] = {}
    for prefix, declared in families().items():
        if declared.options is not None:
            tables[prefix] = dict(declared.options)
    for code, registered in all_rules().items():
        if registered.options is not None:
            tables[code] = dict(registered.options)
    return {
        "type": "object",
        "description": "Options of rules and rule families, one table per code or prefix.",
        "properties": tables,
        "additionalProperties": False,
    }


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    scope: Scope,
    tags: tuple[str, ...] = (),
    reads_body: bool = True,
    reads_content: bool = True,
    sphinx_warnings: tuple[str, ...] = (),
    fixture_family: str | None = "",
    options: JSONSchema | None = None,
    default_selected: bool = True,
) -> Callable[[Callable[..., Iterator[Finding]]], Callable[..., Iterator[Finding]]]:
    """Register a rule function; its docstring becomes the rule's documentation.

    `reads_body=False` promises that the rule never reads `page.body`: when every selected rule
    says so, the engine skips parsing Markdown bodies (most of a lint's time).
    `reads_content=False` promises that it never reads a body's link, alt or role text
    (`Reference.text`, `text_span`), `code_blocks`, `prose` or `prose_marks`: when every
    selected rule that reads bodies says so, the parser leaves them out.
    `sphinx_warnings` are the Sphinx warning types (`suppress_warnings` in conf.py) that report
    the same problem. `fixture_family` is the family whose codes the rule's fixtures check (by
    default its own; None for a rule without fixtures, by default a network rule). `options` is
    the JSON Schema of its `[tool.nemo-docs-lint.rules.CODE]` table (each property's `default`
    and `description` are shown by `rules CODE`). `default_selected=False` keeps the rule out of
    the default selection: it runs when a selector names its code or prefix, or `ALL`.
    """
    if not _CODE.match(code):
        raise RuleError(f"rule code {code!r} must look like ABC123")
    if fixture_family == "":
        fixture_family = None if scope is Scope.NETWORK else re.sub(r"\d+$", "", code)

    def register(func: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        if code in _REGISTRY and _REGISTRY[code].check is not func:
            raise RuleError(f"rule code {code} is registered twice")
        doc = parse_docstring(inspect.getdoc(func) or "")
        _REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            scope=scope,
            check=func,
            tags=tags,
            reads_body=reads_body,
            reads_content=reads_content,
            sphinx_warnings=sphinx_warnings,
            fixture_family=fixture_family,
            options=options,
            default_selected=default_selected,
            **doc,
        )
        return func

    return register


def parse_docstring(doc: str) -> dict[str, str]:
    """Split a rule docstring into summary, description, `Why:`, `Bad:` and `Good:` parts."""
    sections: dict[str, list[str]] = {"description": [], "rationale": [], "bad": [], "good": []}
    lines = doc.strip().splitlines()
    summary = lines[0].strip() if lines else ""
    current = "description"
    for line in lines[1:]:
        stripped = line.strip()
        for marker, name in (("Why:", "rationale"), ("Bad:", "bad"), ("Good:", "good")):
            if stripped.startswith(marker):
                current = name
                line = stripped[len(marker) :].strip()
                break
        sections[current].append(line)
    result = {"summary": summary}
    for name, body in sections.items():
        text = "\n".join(body).strip("\n")
        if name in ("bad", "good"):
            text = inspect.cleandoc(text) if text else ""
        else:
            text = " ".join(text.split())
        result[name] = text
    return result


def unregister(prefix: str) -> None:
    """Forget a family and its rules (for tests that register a throwaway family)."""
    _FAMILIES.pop(prefix, None)
    for code in [code for code in _REGISTRY if re.sub(r"\d+$", "", code) == prefix]:
        del _REGISTRY[code]


def markdown_table(rules: Iterable[Rule]) -> str:
    """The README's rule table: code, name, default severity, summary."""
    rows = ["| code | name | default | what it reports |", "|---|---|---|---|"]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        when = " (only with `--external`)" if rule.scope is Scope.NETWORK else ""
        if not when and not rule.default_selected:
            when = " (off by default)"
        rows.append(f"| {rule.code} | {rule.name} | {rule.severity.value} | {summary}{when} |")
    return "\n".join(rows) + "\n"


def _toml(value: object) -> str:
    """A default value as it is written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def all_rules() -> dict[str, Rule]:
    """Every registered rule by code: the built-ins plus entry-point plug-ins, loaded once."""
    global _LOADED
    if not _LOADED:
        _LOADED = True
        from . import rules  # noqa: F401  (registers the built-in rules)

        _load_plugins()
    return dict(sorted(_REGISTRY.items()))


def _may_have_plugins() -> bool:
    """Whether any installed distribution declares our entry-point group.

    A cheap look at the `entry_points.txt` files that importlib.metadata would read, because
    importing importlib.metadata alone costs ~50 ms of every run. Anything unusual on sys.path
    (a zip archive, an unreadable folder) answers True and leaves the decision to it.
    """
    import os

    marker = f"[{ENTRY_POINT_GROUP}]"
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return True  # a zip or egg archive: let importlib.metadata look inside
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            return True
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                        if marker.encode() in handle.read():
                            return True
                except OSError:
                    continue
    return False


def _load_plugins() -> None:
    if not _may_have_plugins():
        return
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            entry.load()
        except Exception as exc:  # a broken plug-in must not hide behind a traceback
            raise RuleError(
                f"cannot load rule plug-in {entry.name!r} ({entry.value}): {exc}"
            ) from exc
