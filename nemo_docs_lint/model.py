"""Plain data shared by every stage of the pipeline: positions, diagnostics, parsed references."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


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


@dataclass(frozen=True, slots=True)
class Reference:
    """A link-like thing in a page: its raw target text and where that text stands."""

    kind: RefKind
    target: str  # raw, as written (for roles: the label/docname part only)
    span: Span  # the span of the target text itself (what --fix would rewrite)
    link_type: str | None = None  # card :link-type: doc / ref / url / any (None = url default)


@dataclass(frozen=True, slots=True)
class Label:
    """A `(name)=` target in Markdown or `.. _name:` in reST."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading with its MyST anchor slug (deduplicated within the page)."""

    level: int
    text: str
    slug: str
    span: Span


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
class ParsedBody:
    """Everything the body parser extracts from one page."""

    references: tuple[Reference, ...] = ()
    labels: tuple[Label, ...] = ()
    headings: tuple[Heading, ...] = ()
    toctrees: tuple[Toctree, ...] = ()
    comments: tuple[Comment, ...] = ()
    title: str | None = field(default=None)  # text of the first heading, if any


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields: a positioned message. The engine adds the rule's code and severity."""

    path: str
    span: Span
    message: str
    fix: Fix | None = None
    anchor: str = ""  # stable context for fingerprints, e.g. the frontmatter key path
