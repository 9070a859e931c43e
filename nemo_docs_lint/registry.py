"""The rule registry: every rule's code, name, severity, scope and documentation in one table.

Rules register with the `@rule` decorator; built-in rules live in `nemo_docs_lint.rules`,
third-party rules load from the `nemo_docs_lint.rules` entry-point group. The rule's docstring is
its documentation (`nemo-docs-lint rules CODE`, SARIF `help`, the README's rule table).
"""

from __future__ import annotations

import enum
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .model import Finding, Severity

ENTRY_POINT_GROUP = "nemo_docs_lint.rules"
_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")


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

    @property
    def family(self) -> str:
        return re.sub(r"\d+$", "", self.code)

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
        return "\n\n".join(parts)

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
        return "\n\n".join(parts)


_REGISTRY: dict[str, Rule] = {}
_LOADED = False


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    scope: Scope,
    tags: tuple[str, ...] = (),
    reads_body: bool = True,
) -> Callable[[Callable[..., Iterator[Finding]]], Callable[..., Iterator[Finding]]]:
    """Register a rule function; its docstring becomes the rule's documentation.

    `reads_body=False` promises that the rule never reads `page.body`: when every selected rule
    says so, the engine skips parsing Markdown bodies (most of a lint's time).
    """
    if not _CODE.match(code):
        raise RuleError(f"rule code {code!r} must look like ABC123")

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
            **doc,
        )
        return func

    return register


def parse_docstring(doc: str) -> dict[str, str]:
    """Split a rule docstring into summary, description, `Why:`, `Bad:` and `Good:` parts."""
    sections = {"description": [], "rationale": [], "bad": [], "good": []}
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


def markdown_table(rules: Iterable[Rule]) -> str:
    """The README's rule table: code, name, default severity, summary."""
    rows = ["| code | name | default | what it reports |", "|---|---|---|---|"]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        when = " (only with `--external`)" if rule.scope is Scope.NETWORK else ""
        rows.append(f"| {rule.code} | {rule.name} | {rule.severity.value} | {summary}{when} |")
    return "\n".join(rows) + "\n"


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
