"""FM rules: every Markdown page carries frontmatter that its JSON Schema accepts."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

from ..config import Config, ConfigError
from ..context import CheckContext
from ..fileio import ensure_regular
from ..model import Finding, Page, Severity, Span
from ..registry import Scope, family, rule
from ..schema import ProblemKind, SchemaProblem
from ..schema_cache import ProblemStore
from . import frontmatter_fixes

MAX_DESCRIPTION_CHARS = 300
MAX_DESCRIPTION_SENTENCES = 2


class FrontmatterState:
    """Per-run state of the FM rules: which schema applies to a page, and its problems (validated
    once however many rules ask; through the problem store once per distinct frontmatter and
    across runs)."""

    def __init__(self, config: Config, store: ProblemStore) -> None:
        self.config = config
        self.store = store
        self._schema_paths: dict[str, Path | None] = {}
        self._problems: dict[str, list[SchemaProblem]] = {}

    def schema_path(self, page: Page) -> Path | None:
        """The schema that applies to a page (None: frontmatter rules off), once per page."""
        try:
            return self._schema_paths[page.path]
        except KeyError:
            found = self._schema_paths[page.path] = self.config.schema_for(page.path)
            return found

    def problems(self, page: Page) -> list[SchemaProblem]:
        """Schema violations of a page's frontmatter."""
        cached = self._problems.get(page.path)
        if cached is None:
            schema_path = self.schema_path(page)
            if schema_path is None or page.frontmatter.data is None:
                cached = []
            else:
                cached = self.store.problems(schema_path, page.frontmatter.data)
            self._problems[page.path] = cached
        return cached


def _state(ctx: CheckContext) -> FrontmatterState:
    return ctx.memo("FM", _uncached_state, ctx.config)


def _uncached_state(config: Config) -> FrontmatterState:
    return FrontmatterState(config, ProblemStore())


def _prepare(config: Config, ctx: CheckContext) -> None:
    """Check every configured schema up front, so a bad one is a config error, not a crash
    (a schema file the cache has seen load is not loaded again: see ProblemStore.check_schema)."""
    from ..schema import SchemaLoadError, default_schema_path

    store = ProblemStore(config.cache_dir, config.docs_root) if ctx.use_cache else ProblemStore()
    paths = {config.schema or default_schema_path()} | {p for _, p in config.schemas if p}
    for path in sorted(paths):
        try:
            store.check_schema(path)
        except SchemaLoadError as exc:
            raise ConfigError(str(exc)) from exc
    ctx.memo("FM", FrontmatterState, config, store)


def _finish(ctx: CheckContext) -> None:
    _state(ctx).store.save(partial=ctx.partial)


def _validate_config(config: Config) -> None:
    """Every configured schema file can be opened, even when no FM rule runs (`_prepare` loads
    them when one does): a misspelt schema path is an error, not a no-op."""
    for path in sorted({p for p in (config.schema, *(p for _, p in config.schemas)) if p}):
        try:
            ensure_regular(path)  # opening a named pipe for reading would block
        except OSError as exc:
            raise ConfigError(f"cannot read schema {path}: {exc.strerror or exc}") from exc


family("FM", tag="frontmatter", validate_config=_validate_config, prepare=_prepare, finish=_finish)


def _checked(page: Page, ctx: CheckContext) -> bool:
    """Frontmatter rules apply to Markdown pages whose schema is not switched off."""
    return page.is_markdown and _state(ctx).schema_path(page) is not None


def _problems(page: Page, ctx: CheckContext, kind: ProblemKind) -> Iterator[Finding]:
    if not _checked(page, ctx):
        return
    fixer = _FIXES.get(kind)
    for problem in _state(ctx).problems(page):
        if problem.kind is kind:
            if problem.at == "key":
                finding = page.at_key(problem.path, problem.message)
            else:
                finding = page.at_value(problem.path, problem.message)
            fix = fixer(page, problem) if fixer is not None else None
            yield finding if fix is None else dataclasses.replace(finding, fix=fix)


# Unsafe fixes (`--unsafe-fixes`): the did-you-mean value or key, the repeated item removed.
_FIXES = {
    ProblemKind.ENUM: frontmatter_fixes.value_fix,
    ProblemKind.UNKNOWN: frontmatter_fixes.key_fix,
    ProblemKind.DUPLICATE: frontmatter_fixes.duplicate_fix,
}


@rule(
    code="FM001",
    name="missing-frontmatter",
    severity=Severity.ERROR,
    scope=Scope.PAGE,
    reads_body=False,
)
def missing_frontmatter(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """The page has no YAML frontmatter block.

    A block is `---` on the very first line (a UTF-8 byte-order mark may precede it) up to the
    next `---` line.

    Why: search, the related-pages cards and the review dashboards read the metadata; a page
    without it is invisible to all of them, and most schema linters pass such pages silently.

    Bad:
        # Installation

        Install the package with pip.
    Good:
        ---
        description: "Install NeMo RL with pip or from source."
        categories: ["getting-started"]
        tags: ["installation", "quickstart"]
        personas: ["mle-focused"]
        difficulty: "beginner"
        content_type: "tutorial"
        modality: "text-only"
        ---
        # Installation
    """
    if _checked(page, ctx) and not page.frontmatter.present:
        yield page.at_line(1, "page has no frontmatter block (`---` on the first line)")


@rule(
    code="FM002", name="invalid-yaml", severity=Severity.ERROR, scope=Scope.PAGE, reads_body=False
)
def invalid_yaml(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """The frontmatter is not valid YAML, is not a mapping, or is never closed.

    Reported at the position of the YAML error. Duplicate keys are errors too (YAML requires
    unique keys; most loaders silently keep the last one), and so are aliases that expand
    beyond 10,000 nodes.

    Why: Sphinx drops frontmatter it cannot read, so the page silently loses all its metadata.

    Bad:
        ---
        description: "Unclosed quote
        tags: [rl, sft]
        ---
    Good:
        ---
        description: "Closed quote."
        tags: [rl, sft]
        ---
    """
    if not page.is_markdown:
        return
    error = page.frontmatter.error
    if error is not None:
        line_text = page.line_text(error.line)
        end = len(line_text) + 1 if len(line_text) >= error.column else error.column + 1
        yield page.at_span(Span(error.line, error.column, error.line, end), error.message)


@rule(code="FM003", name="missing-key", severity=Severity.ERROR, scope=Scope.PAGE, reads_body=False)
def missing_key(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A key the schema requires is absent (one diagnostic per missing key).

    Reported at the frontmatter's opening `---`.

    Why: the standard requires description, categories, tags, personas, difficulty, content_type
    and modality on every page so that every page can be filtered and found.

    Bad:
        ---
        description: "Train with GRPO."
        tags: [grpo, training]
        ---
    Good:
        ---
        description: "Train with GRPO."
        categories: [training]
        tags: [grpo, training]
        personas: [mle-focused]
        difficulty: intermediate
        content_type: tutorial
        modality: text-only
        ---
    """
    for finding in _problems(page, ctx, ProblemKind.MISSING):
        yield page.at_frontmatter(finding.message, anchor=finding.anchor)


@rule(
    code="FM004", name="invalid-value", severity=Severity.ERROR, scope=Scope.PAGE, reads_body=False
)
def invalid_value(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A value is not one the schema allows (an enum miss), with a did-you-mean when one is close.

    Reported at the offending value or list item.

    Why: metadata drifts during a migration (`howto` vs `how-to`, `Data Scientists` vs
    `data-scientist-focused`); facets and filters only work with the agreed vocabulary.

    Bad:
        content_type: guide
        personas: ["Data Scientists"]
    Good:
        content_type: tutorial
        personas: ["data-scientist-focused"]
    """
    yield from _problems(page, ctx, ProblemKind.ENUM)


@rule(code="FM005", name="tag-count", severity=Severity.ERROR, scope=Scope.PAGE, reads_body=False)
def tag_count(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A list has fewer or more items than the schema allows (for `tags`: 2 to 8).

    Reported at the list's key, saying how many items it has.

    Why: tags feed search and the related-pages cards; one tag is too vague to find a page by,
    a dozen dilutes every one of them.

    Bad:
        tags: ["sft"]
    Good:
        tags: ["sft", "fine-tuning", "quickstart"]
    """
    yield from _problems(page, ctx, ProblemKind.COUNT)


@rule(code="FM006", name="wrong-type", severity=Severity.ERROR, scope=Scope.PAGE, reads_body=False)
def wrong_type(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A value has the wrong YAML type, e.g. a comma-separated string where a list is required.

    Reported at the value.

    Why: `tags: "a, b"` is one tag named "a, b" to every tool that reads it.

    Bad:
        tags: "rl, sft"
    Good:
        tags: ["rl", "sft"]
    """
    yield from _problems(page, ctx, ProblemKind.TYPE)


@rule(
    code="FM007", name="unknown-key", severity=Severity.WARNING, scope=Scope.PAGE, reads_body=False
)
def unknown_key(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A key the schema does not define, with a did-you-mean for misspellings.

    Sphinx's own file-wide keys (`orphan`, `tocdepth`, `nocomments`, `nosearch`, `html_meta`,
    `myst`) are part of the default schema.

    Why: a misspelt key (`persona`) means the real key is missing and the value is read by no one.

    Bad:
        persona: [mle-focused]
    Good:
        personas: [mle-focused]
    """
    yield from _problems(page, ctx, ProblemKind.UNKNOWN)


_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|Dr|Mr|Ms|No|Fig|Eq)\.$", re.I)
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[`*_]?[A-Z0-9])")


def count_sentences(text: str) -> int:
    """Sentences in `text`, not splitting after common abbreviations or inside version numbers."""
    count, start = 0, 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATIONS.search(text[start : match.start() + 1]):
            continue
        count += 1
        start = match.end()
    return count + (1 if text[start:].strip() else 0)


@rule(
    code="FM008",
    name="description-style",
    severity=Severity.WARNING,
    scope=Scope.PAGE,
    reads_body=False,
)
def description_style(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """`description` is empty, longer than 2 sentences, or over 300 characters.

    Why: the description is the search snippet and the card text; the standard asks for a 1-2
    sentence summary, and longer text is cut off mid-sentence.

    Bad:
        description: ""
    Good:
        description: "Run GRPO on one node. Covers configuration and checkpoints."
    """
    if not _checked(page, ctx):
        return
    description = page.metadata.get("description")
    if not isinstance(description, str):
        return
    text = " ".join(description.split())
    if not text:
        yield page.at_value("description", "`description` is empty; write a 1-2 sentence summary")
        return
    sentences = count_sentences(text)
    if sentences > MAX_DESCRIPTION_SENTENCES:
        yield page.at_value(
            "description",
            f"`description` has {sentences} sentences; keep it to {MAX_DESCRIPTION_SENTENCES}",
        )
    if len(text) > MAX_DESCRIPTION_CHARS:
        yield page.at_value(
            "description",
            f"`description` is {len(text)} characters long; keep it under {MAX_DESCRIPTION_CHARS}",
        )


@rule(
    code="FM009",
    name="duplicate-item",
    severity=Severity.WARNING,
    scope=Scope.PAGE,
    reads_body=False,
)
def duplicate_item(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """The same item appears twice in a list that must be unique (`tags`, `personas`).

    Reported at the repeated item.

    Why: duplicates inflate tag clouds and counts and usually hide a copy-paste slip.

    Bad:
        tags: [sft, rl, sft]
    Good:
        tags: [sft, rl]
    """
    yield from _problems(page, ctx, ProblemKind.DUPLICATE)


@rule(
    code="FM010",
    name="schema-violation",
    severity=Severity.ERROR,
    scope=Scope.PAGE,
    reads_body=False,
)
def schema_violation(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """Any other schema error: pattern, const, length, format or a project's custom keywords.

    Reported at the offending value, with the validator's message.

    Why: a project's own schema encodes its own rules; every one of them deserves a position.

    Bad:
        categories: [""]
    Good:
        categories: ["training"]
    """
    yield from _problems(page, ctx, ProblemKind.OTHER)
