"""CQ rules: the content checks a docs review does by eye, aware of MyST.

Titles and headings (`headings`), links, images and code blocks (`media`), prose (`prose`) and
frontmatter across the tree (`metadata`). They read what the body parser extracts (headings,
references with their text, code blocks, prose line ranges) and never parse Markdown
themselves. Markdown pages only: `.rst` documents take part in the graph alone.
"""

from __future__ import annotations

from . import headings, media, metadata, prose  # noqa: F401  (registers the rules)
