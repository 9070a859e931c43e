"""Plain data shared by every stage of the pipeline: positions, diagnostics, parsed references,
source files, pages and the result of a lint. Imports nothing heavier than the standard library."""

from __future__ import annotations

import dataclasses
import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from .frontmatter_block import head_digest

if TYPE_CHECKING:
    from .config import Config
    from .index import DocsIndex
    from .registry import Rule
    from .report_cache import StoredReport

_T = TypeVar("_T")


def slot_builder(cls: type[_T]) -> Callable[..., _T]:
    """A constructor of the frozen, slotted dataclass `cls` taking every field positionally,
    that sets the slots directly: the same object as `cls(...)` in half the time (a frozen
    dataclass's `__init__` goes through `object.__setattr__` field by field). For the paths that
    build tens of thousands at once (a warm run's stored findings, the filter's diagnostics)."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]  # any class: checked next
    if list(getattr(cls, "__slots__", ())) != names or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__qualname__} is not a plain slotted dataclass")
    setters = {f"_set_{name}": getattr(cls, name).__set__ for name in names}
    body = "".join(f"    _set_{name}(obj, {name})\n" for name in names)
    source = f"def build({', '.join(names)}):\n    obj = _new(_cls)\n{body}    return obj\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec(source, namespace)  # field names only, as dataclasses itself does
    built: Callable[..., _T] = namespace["build"]
    return built


class Severity(str, enum.Enum):
    """How serious a diagnostic is; ordered note < warning < error."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.NOTE: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Fix:
    """An exact text edit: replace the text at `span` (which must read `old`) with `new`.

    An unsafe fix (`safe=False`) may change meaning; only `--unsafe-fixes` applies it.
    """

    span: Span
    old: str
    new: str
    safe: bool = True


SORT_FIELDS = ("path", "line", "column", "code", "message")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found by a rule, positioned in a file relative to the docs root."""

    code: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = None
    # Extra context for fingerprints (e.g. the frontmatter key path); never shown as position.
    anchor: str = ""

    # The output order, everywhere: path, line, column, code, message (read in C).
    sort_key = property(attrgetter(*SORT_FIELDS))


DIAGNOSTIC_ORDER: Callable[[Diagnostic], tuple[str, int, int, str, str]] = Diagnostic.sort_key.fget  # type: ignore[assignment]  # the attrgetter above


def sort_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Sort in place by `Diagnostic.sort_key`."""
    diagnostics.sort(key=DIAGNOSTIC_ORDER)


# ---------------------------------------------------------------------------
# What the Markdown / reST parser extracts from a page body.
# Every span refers to the ORIGINAL file's lines (frontmatter lines included).
# ---------------------------------------------------------------------------


class RefKind(str, enum.Enum):
    """Where a reference came from; decides how it is resolved and which rule reports it."""

    LINK = "link"  # [text](target), reference-style usage, <project:...>, <path:...>
    AUTOLINK = "autolink"  # <https://...>, bare-URL autolinks with linkify
    IMAGE = "image"  # ![alt](src)
    HTML_LINK = "html-link"  # <a href="...">
    HTML_IMAGE = "html-image"  # <img src="...">
    REF_ROLE = "ref"  # {ref}`label` / {ref}`text <label>`
    DOC_ROLE = "doc"  # {doc}`docname` / {doc}`text <docname>`
    DOWNLOAD_ROLE = "download"  # {download}`path`
    IMAGE_DIRECTIVE = "image-directive"  # ```{image} path
    FIGURE_DIRECTIVE = "figure-directive"  # ```{figure} path
    CARD_LINK = "card-link"  # sphinx-design :link: option; see Reference.link_type
    TERM_ROLE = "term"  # {term}`term` (glossary)
    NUMREF_ROLE = "numref"  # {numref}`label`
    EQ_ROLE = "eq"  # {eq}`label` (equations)
    ANY_ROLE = "any"  # {any}`target`


@dataclass(frozen=True, slots=True)
class Reference:
    """A link-like thing in a page: its raw target text and where that text stands."""

    kind: RefKind
    target: str  # raw, as written (for roles: the label/docname part only)
    span: Span  # the span of the target text itself (what --fix would rewrite)
    # card :link-type: doc / ref / url / any (None = url default); `external` for a link with
    # attrs_inline's `{.external}` class
    link_type: str | None = None
    # The text a reader sees, as plain text (markup removed): a link's text, an image's alt
    # (`:alt:` of `{image}`/`{figure}`, `alt=` of `<img>`), a role's explicit title. None when
    # the source gives none: no `:alt:` or `alt=`, a role without a title, an autolink, `<a>`.
    text: str | None = None
    text_span: Span | None = None  # where the link text or alt stands, when `text` is known


class LabelKind:
    """What a named target is, which decides the references that can name it."""

    LABEL = ""  # `(name)=`, `.. _name:`, a directive's `:name:`: {ref} and `[](name)`
    UNTITLED = "untitled"  # a label of no section, figure, table or code: {ref} needs a title
    ATTR = "attr"  # `{#name}` (attrs_block / attrs_inline): a label when they are enabled
    ATTR_UNTITLED = "attr-untitled"  # the same, on no heading
    TERM = "term"  # a glossary term: {term}
    ATTR_TERM = "attr-term"  # a `{.glossary}` definition list's term (attrs_block + deflist)
    EQUATION = "eq"  # a math label: {eq}
    PYTHON = "py"  # a Python object declared by a `py:` directive (its full name)
    SECTION = "section"  # a reST section title's id: a local `#anchor` only


@dataclass(frozen=True, slots=True)
class Label:
    """A named target: a `(name)=` label, `.. _name:`, a term, an equation, an object, ..."""

    name: str
    span: Span
    kind: str = LabelKind.LABEL


@dataclass(frozen=True, slots=True)
class Include:
    """An `{include}` / `.. include::` of another file, with the options that slice it."""

    target: str  # the path as written
    span: Span
    start_after: str | None = None
    end_before: str | None = None
    heading_offset: int = 0
    parsed: bool = True  # False for `:literal:` / `:code:` includes (text shown, not parsed)
    start_line: int | None = None  # `:start-line:` / `:end-line:`, Python slice bounds
    end_line: int | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading with its MyST anchor slug (deduplicated within the page)."""

    level: int
    text: str
    slug: str
    span: Span
    nested: bool = False  # inside a directive body (MyST makes it a rubric, not a section)


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One line of a toctree body: `docname`, `/abs`, `Title <docname>`, `self`, URL or glob."""

    target: str
    title: str | None
    span: Span  # span of the target text


@dataclass(frozen=True, slots=True)
class Toctree:
    """A toctree directive with its options and entries."""

    span: Span  # the directive's opening line (where Sphinx reports missing entries)
    entries: tuple[TocEntry, ...]
    glob: bool = False
    hidden: bool = False
    caption: str | None = None
    maxdepth: int | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment outside code (used for inline `nemo-docs-lint:` suppressions)."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block, or a code directive (`{code-block}`, `{code}`, `{sourcecode}`,
    `{code-cell}`), outside other code."""

    language: str  # the info string's first word, or the directive's argument; "" when none
    span: Span  # the opening fence line's text
    directive: str = ""  # the directive's name; "" for a plain fence


@dataclass(frozen=True, slots=True)
class ParsedBody:
    """Everything the body parser extracts from one page."""

    references: tuple[Reference, ...] = ()
    labels: tuple[Label, ...] = ()
    headings: tuple[Heading, ...] = ()
    toctrees: tuple[Toctree, ...] = ()
    comments: tuple[Comment, ...] = ()
    title: str | None = field(default=None)  # text of the first heading, if any
    includes: tuple[Include, ...] = ()
    code_blocks: tuple[CodeBlock, ...] = ()
    # Where prose stands: first and last line of every paragraph, table and heading outside code,
    # HTML blocks, comments and directive options (directive bodies parsed as Markdown included),
    # flat: (first, last, first, last, ...), one small tuple per page.
    prose: tuple[int, ...] = ()
    # Bits of the `PROSE_MARKS` in the prose (bit k: mark k), so that CQ007 looks through the
    # prose of only the few pages that hold its words. Read in runs of ranges a line or two
    # apart, with what stands between them: a superset of the ranges' text.
    prose_marks: int = 0


# What the parser looks for in a page's prose (`ParsedBody.prose_marks`): the first words of
# CQ007's default placeholders. One in capitals is looked for as written, the others in the
# lowercased prose (as `rules.content.prose.Placeholders` looks for them).
PROSE_MARKS = ("TODO", "FIXME", "TBD", "XXX", "lorem", "coming", "<insert")


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields: a positioned message. The engine adds the rule's code and severity."""

    path: str
    span: Span
    message: str
    fix: Fix | None = None
    anchor: str = ""  # stable context for fingerprints, e.g. the frontmatter key path


# ---------------------------------------------------------------------------
# Frontmatter, source files and pages.
# ---------------------------------------------------------------------------

KeyPath = tuple[Any, ...]  # a path into frontmatter data: ("personas", 1)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a mapping entry's key (None for list items) and its value stand."""

    key: Span | None
    value: Span


@dataclass(frozen=True, slots=True)
class FrontmatterError:
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class Frontmatter:
    """The frontmatter of one page: present or not, its data and positions, or why it failed."""

    present: bool = False
    data: dict[str, Any] | None = None
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    error: FrontmatterError | None = None
    end_line: int = 0  # line of the closing `---` (0 when absent)

    @property
    def body_start_line(self) -> int:
        return self.end_line + 1 if self.present else 1

    @property
    def block_span(self) -> Span:
        """The opening `---` line: where problems with the block as a whole are reported."""
        return Span(1, 1, 1, 4)


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str  # posix, relative to the docs root
    docname: str
    absolute: str  # the file's path on this system (a str: cheaper than 10,000 Path objects)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why a file could not be read as text, with the best position we know."""

    reason: str
    line: int = 1
    column: int = 1


# What a run asks of a text it has not read (`Page.mentions`), in the order of `TextFacts` bits.
TEXT_MARKS = ("nemo-docs-lint", "{include}", "include::", ".. autosummary::", "{autosummary}")
# line count, length in characters, bits of the TEXT_MARKS held, and the digest of what the
# page's frontmatter is made of (`frontmatter_block.head_digest`)
TextFacts = tuple[int, int, int, bytes]


def text_facts(text: str) -> TextFacts:
    """The `TextFacts` of a text."""
    marks = sum(1 << bit for bit, mark in enumerate(TEXT_MARKS) if mark in text)
    return text.count("\n") + 1, len(text), marks, head_digest(text)


@dataclass(frozen=True)
class Page:
    """One document of the docs tree, immutable after parsing."""

    path: str  # posix, relative to the docs root, with suffix
    docname: str  # path without suffix
    text: str  # LF-normalised, BOM removed
    frontmatter: Frontmatter
    body: ParsedBody

    @property
    def is_markdown(self) -> bool:
        return self.path.endswith(".md")

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_text(self, line: int) -> str:
        if line == 1 and "lines" not in self.__dict__:  # without splitting the whole text
            return self.text.partition("\n")[0]
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def mentions(self, mark: str) -> bool:
        """Whether the text holds `mark` (a page from the snapshot answers the `TEXT_MARKS`
        without reading its text)."""
        return mark in self.text

    @property
    def has_includes(self) -> bool:
        """Whether the page `{include}`s files. A text without `{include}` (MyST) or
        `include::` (reST, also in `{eval-rst}`) has none: the parsers know the directive by
        exactly that name, so its parse result is not even read (a lazily decoded page stays
        undecoded). A page parsed already (all of a cold run's) answers from its parse result:
        the two searches through every text cost a 10k-page cold lint ~0.15 s."""
        if "body" in self.__dict__:
            return bool(self.body.includes)
        mentioned = self.mentions("{include}") or self.mentions("include::")
        return mentioned and bool(self.body.includes)

    @property
    def metadata(self) -> dict[str, Any]:
        """The frontmatter mapping, or an empty one when absent or invalid."""
        return self.frontmatter.data or {}

    def at_span(
        self, span: Span, message: str, fix: Fix | None = None, anchor: str = ""
    ) -> Finding:
        return Finding(self.path, span, message, fix, anchor)

    def at_line(self, line: int, message: str) -> Finding:
        """A finding covering a whole line (used when only the line is known)."""
        text = self.line_text(line)
        start = len(text) - len(text.lstrip()) + 1
        return Finding(self.path, Span(line, start, line, len(text) + 1), message)

    def at_key(self, key_path: str | tuple[Any, ...], message: str) -> Finding:
        """A finding at a frontmatter key (or list item), falling back to the enclosing key."""
        return self._at(key_path, message, prefer="key")

    def at_value(self, key_path: str | tuple[Any, ...], message: str) -> Finding:
        """A finding at a frontmatter value or list item."""
        return self._at(key_path, message, prefer="value")

    def at_frontmatter(self, message: str, anchor: str = "") -> Finding:
        """A finding about the block as a whole: its opening `---`."""
        return Finding(self.path, self.frontmatter.block_span, message, anchor=anchor)

    def _at(self, key_path: str | tuple[Any, ...], message: str, prefer: str) -> Finding:
        path = (key_path,) if isinstance(key_path, str) else tuple(key_path)
        anchor = "/".join(str(p) for p in path)
        positions = self.frontmatter.positions
        probe = path
        while probe:
            position = positions.get(probe)
            if position is not None:
                span = position.key if (prefer == "key" and position.key) else position.value
                return Finding(self.path, span, message, anchor=anchor)
            probe = probe[:-1]
        return self.at_frontmatter(message, anchor=anchor)


# ---------------------------------------------------------------------------
# The pipeline's result.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LintResult:
    config: Config
    index: DocsIndex
    rules: list[Rule]
    diagnostics: list[Diagnostic]
    notes: list[str] = field(default_factory=list)  # said with --verbose
    baseline_known: int = 0  # problems hidden because the baseline lists them
    baseline_fixed: int = 0  # baseline entries that no longer match a problem
    hints: list[str] = field(default_factory=list)  # said always, after the report
    scope: tuple[str, ...] | None = None  # docs-root-relative paths reported on; None: all
    # asked for with `LintRequest.report_key` and nothing changed since the stored state: the
    # stored report (`report_cache`); when it is `served`, `diagnostics` is empty
    report: StoredReport | None = None
    # (documents, unreadable files) of the tree when no index was built: a report served by
    # the tree's stamp (`tree_stamp`); `index` then holds no page
    counted: tuple[int, int] | None = None
