"""CQ rules about what readers and assistive tools get from links, images and code blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...context import CheckContext
from ...model import Finding, Page, RefKind, Severity
from ...registry import Scope, rule
from .common import option, options, words_option

_IMAGES = {
    RefKind.IMAGE: "image",
    RefKind.IMAGE_DIRECTIVE: "`{image}`",
    RefKind.FIGURE_DIRECTIVE: "`{figure}`",
    RefKind.HTML_IMAGE: "`<img>`",
}
_TEXT_LINKS = (RefKind.LINK, RefKind.REF_ROLE, RefKind.DOC_ROLE, RefKind.HTML_LINK)
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)\S*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_HTTP = re.compile(r"^https?://", re.I)
_EDGE_PUNCT = " \t\n.,:;!?…\"'()[]*_`"
_GENERIC_ALT = frozenset(
    {
        *("image", "img", "picture", "pic", "photo", "screenshot", "figure", "diagram"),
        *("graphic", "icon", "logo", "alt", "alt text", "an image", "the image"),
    }
)
LINK_WORDS_HELP = "link texts that say nothing (compared in any case)"
DEFAULT_LINK_WORDS = [
    "here",
    "click here",
    "click",
    "this link",
    "link",
    "read more",
    "learn more",
    "more",
    "this page",
    "this",
]


@rule(code="CQ003", name="image-alt-text", severity=Severity.WARNING, scope=Scope.PAGE)
def image_alt_text(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """An image without alt text (`![](...)`, `{image}`/`{figure}` without `:alt:`, `<img>`).

    `<img>` without an `alt` attribute counts; a figure's caption is not alt text (screen readers
    announce the image before it). `<img alt="">` marks an image as decorative on purpose and is
    fine. Alt text that only says "image", "screenshot", "diagram" (and the like) or repeats the
    file name is reported too: it describes nothing.

    Why: alt text is what screen-reader users, and everyone whose image failed to load, get
    instead of the picture (WCAG 1.1.1).

    Bad:
        ![](images/grpo-loop.png)

        ```{figure} images/arch.png
        The training architecture.
        ```
    Good:
        ![GRPO loop: generate, score, update](images/grpo-loop.png)

        ```{figure} images/arch.png
        :alt: Ray driver with four GPU workers and a vLLM generation server

        The training architecture.
        ```
    """
    if not page.is_markdown:
        return
    for ref in page.body.references:
        what = _IMAGES.get(ref.kind)
        if what is None:
            continue
        if ref.kind is RefKind.HTML_IMAGE:
            missing = ref.text is None
            hint = 'add `alt="..."` (or `alt=""` if it is decorative)'
        else:
            missing = not (ref.text or "").strip()
            hint = "describe it in `![...]`" if ref.kind is RefKind.IMAGE else "add `:alt:`"
        if missing:
            yield page.at_span(ref.span, f"{what} `{ref.target}` has no alt text: {hint}")
        elif ref.text and _generic(ref.text, ref.target):
            yield page.at_span(
                ref.text_span or ref.span,
                f"alt text `{ref.text.strip()}` does not describe {what} `{ref.target}`: "
                "say what it shows",
            )


def _generic(alt: str, target: str) -> bool:
    """Alt text that names the kind of thing, or the file, instead of what it shows."""
    words = " ".join(alt.split()).strip(_EDGE_PUNCT).casefold()
    name = target.rsplit("/", 1)[-1].casefold()
    return words in _GENERIC_ALT or words in (name, name.rsplit(".", 1)[0])


@rule(
    code="CQ004",
    name="link-text",
    severity=Severity.WARNING,
    scope=Scope.PAGE,
    options=options(words=words_option(DEFAULT_LINK_WORDS, LINK_WORDS_HELP)),
)
def link_text(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """Link text that says nothing about its target ("here", "click here", "read more").

    A bare URL as the text of an internal link is reported too. The words are configurable (`words`,
    compared ignoring case and surrounding punctuation); `{ref}` and `{doc}` roles with an
    explicit title are checked too.

    Why: screen-reader users list a page's links out of context, and everyone scans for them;
    "here" five times tells nobody where a link goes. A URL as text of an internal link is
    wrong as soon as the site moves.

    Bad:
        To install, click [here](installation.md).
    Good:
        See the [installation guide](installation.md).
    """
    if not page.is_markdown:
        return
    words = ctx.memo("CQ004/words", _words, option(ctx, "CQ004", "words", DEFAULT_LINK_WORDS))
    for ref in page.body.references:
        if ref.kind not in _TEXT_LINKS or ref.text is None:
            continue
        text = " ".join(ref.text.split())
        span = ref.text_span or ref.span
        if text.strip(_EDGE_PUNCT).casefold() in words:
            yield page.at_span(
                span, f"link text `{text}` does not say where the link goes: name the target"
            )
        elif _URL.match(text) and not _SCHEME.match(ref.target):
            yield page.at_span(
                span,
                f"the text of this internal link is a URL (`{text}`): use the target's title",
            )


def _words(chosen: list[str]) -> frozenset[str]:
    words = (" ".join(w.split()).strip(_EDGE_PUNCT).casefold() for w in chosen)
    return frozenset(word for word in words if word)


@rule(code="CQ005", name="empty-link-text", severity=Severity.WARNING, scope=Scope.PAGE)
def empty_link_text(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A link to an external URL with empty text: `[](https://...)`.

    Internal links with empty text (`[](installation.md)`, `[](label)`) are fine: MyST shows
    the target's title.

    Why: Sphinx renders an external link without text as an empty anchor: nothing to see or
    click, and screen readers announce a bare "link".

    Bad:
        The API reference is on [](https://docs.nvidia.com/nemo/rl/api).
    Good:
        See the [API reference](https://docs.nvidia.com/nemo/rl/api).
    """
    if not page.is_markdown:
        return
    for ref in page.body.references:
        empty = ref.kind is RefKind.LINK and ref.text is not None and not ref.text.strip()
        if empty and _HTTP.match(ref.target):
            yield page.at_span(
                ref.span, f"link to `{ref.target}` has no text: readers see nothing to click"
            )


@rule(code="CQ006", name="code-block-language", severity=Severity.NOTE, scope=Scope.PAGE)
def code_block_language(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A fenced code block without a language, or a `{code-block}` without its argument.

    Fences inside code (an example of Markdown in a `markdown` block) are not code blocks.

    Why: the language drives syntax highlighting and tells readers (and copy buttons, and
    translation tools) what they are looking at: a shell command, YAML or program output.

    Bad:
        ```
        uv run python examples/run_grpo.py
        ```
    Good:
        ```bash
        uv run python examples/run_grpo.py
        ```
    """
    if not page.is_markdown:
        return
    for block in page.body.code_blocks:
        if block.language:
            continue
        if block.directive:
            message = f"`{{{block.directive}}}` has no language: add it after the directive name"
        else:
            message = "code block has no language: name it after the fence (`text` for output)"
        yield page.at_span(block.span, message)
