"""Finding fragment targets (`id="..."`, `<a name="...">`) in an HTML page with html.parser."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

# GitHub renders Markdown heading ids as `user-content-<slug>` and rewrites the fragment with JS.
_USER_CONTENT_PREFIX = "user-content-"
_GITHUB_LINE = re.compile(r"L\d+(C\d+)?(-L\d+(C\d+)?)?")


def checkable_fragment(url: str, fragment: str) -> bool:
    """Whether a fragment names an element that can be looked for in the served HTML.

    Empty fragments, text fragments (`#:~:text=`), hash-bang routes (`#!/...`), client-side
    routes (`#/...`) and GitHub line anchors (`#L10-L20`) exist only for the browser's scripts.
    """
    if not fragment or fragment.startswith((":~:", "!", "/")):
        return False
    host = (urlsplit(url).hostname or "").lower()
    on_github = host == "github.com" or host.endswith(".github.com")
    return not (on_github and _GITHUB_LINE.fullmatch(fragment))


class AnchorScanner(HTMLParser):
    """Feed HTML text in chunks; `missing` shrinks as the wanted fragments are found."""

    def __init__(self, wanted: Iterable[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = frozenset(wanted)
        # A fragment may be percent-encoded in the URL but literal in the page, or vice versa.
        self._aliases: dict[str, set[str]] = {}
        for fragment in self.wanted:
            for name in {fragment, unquote(fragment)}:
                self._aliases.setdefault(name, set()).add(fragment)
                self._aliases.setdefault(_USER_CONTENT_PREFIX + name, set()).add(fragment)
        self.missing: set[str] = set(self.wanted)

    @property
    def found(self) -> frozenset[str]:
        return self.wanted - self.missing

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                hits = self._aliases.get(value)
                if hits:
                    self.missing.difference_update(hits)

    handle_startendtag = handle_starttag
