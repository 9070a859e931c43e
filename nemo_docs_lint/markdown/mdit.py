"""markdown-it-py configured as MyST configures it (the oracle, and for hard headings)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def myst_markdown_it() -> MarkdownIt:
    """A shared MyST-configured instance (do not mutate)."""
    return build_myst_markdown_it()


def build_myst_markdown_it() -> MarkdownIt:
    """A MarkdownIt instance with the plugins `myst_parser.parsers.mdit.create_md_parser` adds.

    Extensions follow the NeMo docs' `myst_enable_extensions` (dollarmath, amsmath,
    colon_fence, deflist, fieldlist, tasklist, attrs_inline, substitution) plus attrs_block:
    the scanner reads attribute ids and classes always, and the index decides by conf.py.
    Heading anchors are not added here: slugs are computed by `slugs.assign_slugs` for every parser.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.field_list import fieldlist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin
    from mdit_py_plugins.substitution import substitution_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(myst_block_plugin)
        .use(myst_role_plugin)
        .use(footnote_plugin)
        .disable("footnote_inline")
        .disable("footnote_tail")
        .use(dollarmath_plugin)
        .use(colon_fence_plugin)
        .use(fieldlist_plugin)
        .use(amsmath_plugin)
        .use(deflist_plugin)
        .use(tasklists_plugin)
        .use(substitution_plugin)
        .use(attrs_plugin, after=("image", "code_inline", "link_close", "span_close"), spans=True)
        .use(attrs_block_plugin)
    )
    md.options.update({"typographer": False, "linkify": False})
    return md
