"""CQ rules over the frontmatter of the whole tree: tag spellings that drift, descriptions
copied from page to page."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from ...context import CheckContext
from ...index import DocsIndex
from ...model import Finding, Fix, Page, Severity, Span
from ...registry import Scope, rule
from .common import name_paths, option, options, words_option

DEFAULT_KEYS = ["tags"]


def _pages(index: DocsIndex, ctx: CheckContext) -> list[Page]:
    """Markdown pages whose frontmatter rules are on (not generated pages), by path: worked
    out once for the index a run checks (CQ009 and CQ010 ask), not to be changed."""
    known: dict[int, tuple[DocsIndex, list[Page]]] = ctx.memo("CQ/frontmatter-pages", dict)
    found = known.get(id(index))
    if found is None or found[0] is not index:
        pages = [p for p in index.pages.values() if p.is_markdown and p.frontmatter.data]
        on = (p for p in pages if ctx.config.schema_for(p.path) is not None)
        found = known[id(index)] = (index, sorted(on, key=lambda p: p.path))
    return found[1]


@rule(
    code="CQ009",
    name="tag-drift",
    severity=Severity.WARNING,
    scope=Scope.TREE,
    reads_body=False,
    options=options(keys=words_option(DEFAULT_KEYS, "frontmatter lists whose items are compared")),
)
def tag_drift(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """Tags across the tree that differ only by case, `-`/`_`/space, a plural or one letter.

    Each is reported on the rarer spelling, naming the tree's most used one and how many pages
    use it; `--unsafe-fixes` rewrites the item to that spelling. One-letter differences count
    only between words of 6 letters or more that differ in no digit (`llama`/`llava`,
    `gemma2`/`gemma3` are different things).

    Why: tags feed search and the tag index; `fine-tuning` and `Fine_Tuning` split one topic
    into two half-empty tag pages.

    Bad:
        tags: ["Fine_Tuning", "sft"]     (14 other pages use `fine-tuning`)
    Good:
        tags: ["fine-tuning", "sft"]
    """
    for key in option(ctx, "CQ009", "keys", DEFAULT_KEYS):
        yield from _drift(_pages(index, ctx), key)


def _drift(pages: list[Page], key: str) -> Iterator[Finding]:
    uses: dict[str, set[str]] = defaultdict(set)
    items: list[tuple[Page, int, str]] = []
    for page in pages:
        values = page.metadata.get(key)
        if not isinstance(values, list):
            continue
        for i, value in enumerate(values):
            if isinstance(value, str) and value.strip():
                uses[value].add(page.path)
                items.append((page, i, value))
    canonical = _canonical_spellings({tag: len(paths) for tag, paths in uses.items()})
    for page, i, value in items:
        best = canonical.get(value)
        if best is None:
            continue
        count = len(uses[best])
        message = (
            f"tag `{value}` differs from the tree's `{best}` only in spelling; did you mean "
            f"`{best}` (used on {count} page{'s' if count != 1 else ''})?"
        )
        finding = page.at_value((key, i), message)
        position = page.frontmatter.positions.get((key, i))
        if position is not None:
            old = _text(page, position.value)
            if old:
                fix = Fix(position.value, old, _yaml_scalar(best, old), safe=False)
                finding = page.at_span(position.value, message, fix=fix, anchor=f"{key}/{i}")
        yield finding


def _text(page: Page, span: Span) -> str:
    """The text at a one-line span ('' for a multi-line one)."""
    if span.line != span.end_line:
        return ""
    return page.line_text(span.line)[span.column - 1 : span.end_column - 1]


def _yaml_scalar(value: str, old: str) -> str:
    """`value` written the way the item it replaces was (quoted or plain)."""
    if old[:1] == old[-1:] == '"':
        return json.dumps(value)
    if old[:1] == old[-1:] == "'":
        return "'" + value.replace("'", "''") + "'"
    import yaml  # here: only a run that reports drift writes a fix

    try:
        if yaml.safe_load(value) == value and "#" not in value and not value.startswith(("[", "{")):
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value)


def _key(tag: str) -> str:
    return "".join(ch for ch in tag.casefold() if ch not in "-_ ")


def _singular(key: str) -> str:
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith("es") and key[:-2].endswith(("s", "x", "ch", "sh")):
        return key[:-2]
    if key.endswith("s") and not key.endswith("ss") and len(key) > 3:
        return key[:-1]
    return key


def _one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` (6+ letters, same digits) are one insertion, deletion or
    substitution apart."""
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if [c for c in a if c.isdigit()] != [c for c in b if c.isdigit()]:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _near_pairs(forms: list[str]) -> Iterator[tuple[str, str]]:
    """Every pair of `forms` that may be one edit apart (each once; a superset): a substitution
    leaves both equal with the same position deleted, an insertion leaves the shorter equal to
    the longer with one letter deleted. Linear in the letters, not quadratic in the forms."""
    seen: set[tuple[str, str]] = set()
    by_deletion: dict[tuple[str, int], list[str]] = defaultdict(list)
    whole = {form for form in forms if len(form) >= 6}
    for form in forms:
        if len(form) < 6:
            continue
        for i in range(len(form)):
            rest = form[:i] + form[i + 1 :]
            by_deletion[rest, i].append(form)
            if rest in whole and (rest, form) not in seen:
                seen.add((rest, form))
                yield rest, form
    for group in by_deletion.values():
        for i, form in enumerate(group):
            for other in group[i + 1 :]:
                if (form, other) not in seen:
                    seen.add((form, other))
                    yield form, other


def _canonical_spellings(counts: dict[str, int]) -> dict[str, str]:
    """Each drifting spelling -> the spelling its group should use (most pages, then the
    lowercase-hyphenated form, then alphabetical)."""
    spellings = sorted(counts)
    parent = {s: s for s in spellings}

    def find(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_key: dict[str, str] = {}
    forms = {}
    for s in spellings:
        form = _singular(_key(s))
        forms[s] = form
        if form in by_key:
            union(s, by_key[form])
        else:
            by_key[form] = s
    for form, other in _near_pairs(sorted(by_key)):
        if _one_edit(form, other):
            union(by_key[form], by_key[other])
    groups: dict[str, list[str]] = defaultdict(list)
    for s in spellings:
        groups[find(s)].append(s)
    result = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        best = min(members, key=lambda s: (-counts[s], s != _kebab(s), s))
        for s in members:
            if s != best:
                result[s] = best
    return result


def _kebab(tag: str) -> str:
    return "-".join(tag.casefold().replace("_", " ").split())


@rule(
    code="CQ010",
    name="duplicate-description",
    severity=Severity.WARNING,
    scope=Scope.TREE,
    reads_body=False,
)
def duplicate_description(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """The same frontmatter `description` on two or more pages, each reported naming the others.

    Descriptions compare with spaces collapsed and case ignored.

    Why: the description is the page's summary in search results and link previews; a copied
    one (often left from a migration template) describes some other page.

    Bad:
        description: "Learn how to use NeMo RL."   (on 6 pages)
    Good:
        description: "Run GRPO on a Llama model across two nodes with Ray."
    """
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in _pages(index, ctx):
        value = page.metadata.get("description")
        if isinstance(value, str) and value.strip():
            groups[" ".join(value.split()).casefold()].append(page)
    for group in groups.values():
        if len(group) < 2:
            continue
        paths = [page.path for page in group]
        for k, page in enumerate(group):
            named = name_paths(paths[:k] + paths[k + 1 :])  # the others (a copy, not a scan)
            yield page.at_value(
                "description", f"the same `description` is on {named}: describe this page itself"
            )
