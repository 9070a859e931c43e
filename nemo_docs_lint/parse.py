"""Parse stage: each source file becomes an immutable Page, or an Unreadable record."""

from __future__ import annotations

from .discover import SourceFile
from .frontmatter import Frontmatter, parse_frontmatter
from .page import Page
from .source import SourceText, Unreadable, read_source


def parse_source(source: SourceFile, decoded: SourceText, heading_anchor_depth: int) -> Page:
    """Build the Page of one decoded file."""
    from .markdown import parse_markdown, parse_rst

    text = decoded.text
    if source.path.endswith(".md"):
        frontmatter = parse_frontmatter(text)
        body = parse_markdown(text, frontmatter.body_start_line, heading_anchor_depth)
    else:
        frontmatter = Frontmatter()
        body = parse_rst(text)
    return Page(source.path, source.docname, text, frontmatter, body)


def parse_file(source: SourceFile, heading_anchor_depth: int) -> Page | Unreadable:
    """Read and parse one file; never raises for a user's file."""
    decoded = read_source(source.absolute)
    if isinstance(decoded, Unreadable):
        return decoded
    return parse_source(source, decoded, heading_anchor_depth)
