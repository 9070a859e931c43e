"""Parse stage: each source file becomes an immutable Page, or an Unreadable record.

`parse_tree` parses a whole tree: every file is read (to get its text and content digest), parse
results come from the on-disk cache when the digest is known, and the rest are parsed — in worker
processes when there are many of them, which send back compact tuples (see `parse_codec`).
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from os.path import realpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import (
    TEXT_MARKS,
    Frontmatter,
    Page,
    ParsedBody,
    SourceFile,
    TextFacts,
    Unreadable,
    text_facts,
)
from .source import SourceText, overlaid, read_source
from .suppressions import SUPPRESSION_MARK

if TYPE_CHECKING:
    from .parse_cache import ParseCache

# Measured on this project's 2-core machine (benchmarks/graph_bench.py): worker start-up and
# shipping texts and results cost more than they save below roughly this many pages to parse.
PARALLEL_THRESHOLD = 1500
CHUNKSIZE = 64
WORKERS = 2  # processes parsing, this one included
# Of an equal share, what this process parses itself. It parses its pages (0.445 ms each on
# the 10k tree), then decodes the workers' chunks (0.085 ms a page: unmarshal and decode) while
# they still parse theirs (0.445 ms, plus 0.033 ms to encode and marshal): both end together
# when m * 0.445 + (n - m) * 0.085 = (n - m) * 0.478, so m = 0.469 n, 0.94 times an equal share.
OWN_SHARE = 0.94


Parsed = tuple[Frontmatter, ParsedBody]
Encoded = tuple[Any, ...]  # a parse result as `parse_codec.encode` gives it


@dataclass
class ParseStats:
    """What `parse_tree` did: pages parsed here or in workers, and cache hits."""

    parsed: int = 0
    parallel: int = 0  # of `parsed`, how many in worker processes
    cached: int = 0
    cache_invalid: int = 0
    unread: int = 0  # of `cached`, how many files stat showed unchanged (their text not read)
    digests: dict[str, str] = field(default_factory=dict)  # docname -> content digest key
    snapshot: ParseCache | None = None  # the tree snapshot the run used, after its save


def parse_text(
    text: str,
    is_markdown: bool,
    heading_anchor_depth: int,
    body: bool = True,
    content: bool = True,
    frontmatter: Frontmatter | None = None,
) -> tuple[Any, ...]:
    """Frontmatter and body of one page's text (the part worth caching).

    With `body=False` the body is left empty unless the page holds an inline suppression
    (`nemo-docs-lint:` in a comment), which needs the parser to find its comments. With
    `content=False` a Markdown body leaves out what only content rules read (link text, code
    blocks, prose: see `markdown.parse_markdown`). `frontmatter`: the Markdown page's, known
    already (`ParseCache.former`), so that only its body is parsed.
    """
    if is_markdown:
        if frontmatter is None:
            from .frontmatter import parse_frontmatter  # PyYAML: imported by a run parsing one

            frontmatter = parse_frontmatter(text)
        if not body and SUPPRESSION_MARK not in text:
            return frontmatter, ParsedBody()  # the Markdown parser is not even imported
        from .markdown import parse_markdown

        start = frontmatter.body_start_line
        return frontmatter, parse_markdown(text, start, heading_anchor_depth, content)
    if not body:
        return Frontmatter(), ParsedBody()
    from .markdown import parse_rst

    return Frontmatter(), parse_rst(text)


def parse_source(source: SourceFile, decoded: SourceText, heading_anchor_depth: int) -> Page:
    """Build the Page of one decoded file."""
    text = decoded.text
    frontmatter, body = parse_text(text, source.path.endswith(".md"), heading_anchor_depth)
    return Page(source.path, source.docname, text, frontmatter, body)


def parse_file(source: SourceFile, heading_anchor_depth: int) -> Page | Unreadable:
    """Read and parse one file; never raises for a user's file."""
    decoded = read_source(source.absolute)
    if isinstance(decoded, Unreadable):
        return decoded
    return parse_source(source, decoded, heading_anchor_depth)


def parse_tree(
    sources: Sequence[SourceFile],
    heading_anchor_depth: int,
    cache_dir: Path | None = None,
    docs_root: Path | None = None,
    parallel_threshold: int = PARALLEL_THRESHOLD,
    stats: ParseStats | None = None,
    bodies: bool = True,
    binding: str = "",
    content: bool = True,
    trust_stat: bool = True,
    snapshot: ParseCache | None = None,
) -> tuple[dict[str, Page], list[tuple[str, Unreadable]]]:
    """Pages by docname and unreadable files, using the cache in `cache_dir` (None: no cache);
    `snapshot`: that cache already loaded (by `engine.build_index`, whose discover stage read
    its folder listings).

    `bodies=False` (no selected rule reads page bodies): frontmatter only, sequential, no cache,
    so the cache never holds a page without its body. `content=False` (no selected rule reads
    link text, code blocks or prose): bodies without them; `binding` must then differ from the
    one of a run with them.
    """
    from .gc_pause import gc_paused

    with gc_paused():  # hundreds of thousands of small acyclic objects: see gc_pause
        return _parse_tree(
            sources,
            heading_anchor_depth,
            cache_dir,
            docs_root,
            parallel_threshold,
            stats,
            bodies,
            binding,
            content,
            trust_stat,
            snapshot,
        )


def _parse_tree(
    sources: Sequence[SourceFile],
    heading_anchor_depth: int,
    cache_dir: Path | None,
    docs_root: Path | None,
    parallel_threshold: int,
    stats: ParseStats | None,
    bodies: bool,
    binding: str,
    content: bool,
    trust_stat: bool,
    snapshot: ParseCache | None,
) -> tuple[dict[str, Page], list[tuple[str, Unreadable]]]:
    stats = stats if stats is not None else ParseStats()
    cache = snapshot if bodies else None
    if cache is None and cache_dir is not None and docs_root is not None and bodies:
        from .parse_cache import ParseCache

        cache = ParseCache(cache_dir, docs_root, heading_anchor_depth, binding)
        cache.load()
    results: dict[str, tuple[Frontmatter, ParsedBody]] = {}
    texts: dict[str, str] = {}
    unreadable: list[tuple[str, Unreadable]] = []
    todo: list[tuple[SourceFile, str, str | None]] = []  # (source, text, cache key)
    # Cached entries are decoded when a page's parse result is first read, and texts stat
    # shows unchanged are read when first asked for (`LazyPage`).
    pending = _Pending(heading_anchor_depth, cache, content)
    lazy: dict[str, tuple[str, TextFacts]] = {}  # docname -> (digest key, facts): text unread
    unsaved = set(overlaid())  # buffers given in place of files: no snapshot record for them
    digests = stats.digests
    for source in sources:
        key = None
        recorded = cache is not None and not (unsaved and realpath(source.absolute) in unsaved)
        known = None
        if trust_stat and cache is not None and recorded:
            try:
                info = os.stat(source.absolute)
            except OSError:
                pass  # read_source says why
            else:
                known = cache.unchanged(source.path, info)
        if known is not None:
            assert cache is not None
            entry = cache.get(known[0])
            if entry is not None:
                digests[source.docname] = known[0]
                lazy[source.docname] = known
                pending.entries[source.docname] = entry
                continue
        started = time.time_ns()
        decoded = read_source(source.absolute, digest=cache is not None)
        if isinstance(decoded, Unreadable):
            unreadable.append((source.path, decoded))
            continue
        text = texts[source.docname] = decoded.text
        if cache is not None:
            key = _digest_key(source.path, decoded.digest)
            if recorded:
                _record(cache, source, started, key, text)
            stats.digests[source.docname] = key
            entry = cache.get(key)
            if entry is not None:
                pending.entries[source.docname] = entry
                continue
        todo.append((source, text, key))
    frontmatters = _known_frontmatter(cache, todo) if cache is not None else {}
    parsed: dict[int, Parsed] = {}  # position in `todo` -> parsed in parallel
    entries: dict[int, Encoded] = {}  # position -> a worker's encoded result, kept to cache it
    if bodies and len(todo) > parallel_threshold and _cpus() > 1:
        keep = cache is not None
        stats.parallel += _parse_in_workers(
            todo, heading_anchor_depth, content, parsed, entries, keep
        )
    for position, (source, text, key) in enumerate(todo):
        result = parsed.pop(position, None)
        entry = entries.pop(position, None)
        if result is None:  # sequential path, or the worker could not encode (e.g. a datetime)
            markdown = source.path.endswith(".md")
            frontmatter = frontmatters.get(position)
            result = parse_text(text, markdown, heading_anchor_depth, bodies, content, frontmatter)
        if cache is not None and key is not None:
            if entry is None:  # parsed by this process
                entry = _encode(*result)
            if entry is not None:
                cache.put(key, entry)
        results[source.docname] = result
    stats.parsed += len(todo)
    if cache is not None:
        stats.cached += cache.hits
        stats.cache_invalid += cache.invalid
        stats.unread += cache.trusted
        cache.save()
        stats.snapshot = cache
    pages: dict[str, Page] = {}
    for source in sources:
        docname = source.docname
        if (result := results.get(docname)) is not None:
            pages[docname] = Page(source.path, docname, texts[docname], *result)
        elif docname in pending.entries:
            known_text = texts.get(docname)
            key, facts = lazy[docname] if known_text is None else (stats.digests[docname], None)
            page = LazyPage(source.path, docname, pending, source.absolute, key, facts)
            if known_text is not None:
                page.__dict__["text"] = known_text
            pages[docname] = page
    return pages, unreadable


def _digest_key(path: str, digest: str) -> str:
    """A parse entry's key: the content digest and the parser it was parsed with."""
    return f"{digest}:{'md' if path.endswith('.md') else 'rst'}"


def _fits(entry: object, facts: TextFacts) -> bool:
    """`parse_codec.fits` against the facts of the entry's text, False for an entry too
    malformed to tell."""
    from .parse_codec import fits_shape

    lines, length, _, _ = facts
    try:
        return fits_shape(entry, lines, length)
    except (TypeError, ValueError, IndexError, KeyError):
        return False


# A run parsing at most this many pages, PyYAML not loaded yet, takes the frontmatter of those
# whose block is unchanged from their former parse entries (`ParseCache.former`): decoding an
# entry costs ~8 times loading a block (0.24 against 0.03 ms), a price worth the PyYAML import
# (~25 ms) for a few pages, as a pre-commit run parses.
KNOWN_FRONTMATTER_PAGES = 32


def _known_frontmatter(
    cache: ParseCache, todo: list[tuple[SourceFile, str, str | None]]
) -> dict[int, Frontmatter]:
    """Position in `todo` -> the frontmatter of the Markdown page there, from its former parse
    entry, for the pages whose entry loads, fits its text and decodes (see above)."""
    if len(todo) > KNOWN_FRONTMATTER_PAGES or _yaml_loaded():
        return {}
    from .parse_cache import load_entry
    from .parse_codec import decode_many

    known: dict[int, Frontmatter] = {}
    for position, (source, text, _) in enumerate(todo):
        former = cache.former(source.path, text) if source.path.endswith(".md") else None
        if former is None:
            continue
        entry = load_entry(former[0])
        decoded = decode_many([entry])[0] if _fits(entry, former[1]) else None
        if decoded is not None:
            known[position] = decoded[0]
    return known


def _yaml_loaded() -> bool:
    return "yaml" in sys.modules


class SnapshotChanged(Exception):
    """A file stat showed unchanged no longer hashes to its snapshot record when its text is
    read: the run's view of the tree is stale (`engine.lint` runs again, reading every file)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} changed while it was linted")
        self.path = path


class _Pending:
    """Snapshot entries (still marshalled) of pages whose parse result nobody has read yet.
    One page's entry is decoded when it is first read; once `BATCH_AFTER` were, all the others
    are decoded together (`parse_codec.decode_many`: a run that reads every page pays the batch
    price). An entry whose positions cannot be its text's is parsed again from the text."""

    BATCH_AFTER = 64

    def __init__(
        self, heading_anchor_depth: int, cache: ParseCache | None, content: bool = True
    ) -> None:
        self.depth = heading_anchor_depth
        self.content = content
        self.cache = cache  # where an entry found bad is replaced
        self.entries: dict[str, object] = {}  # docname -> stored parse entry (bytes)
        self.decoded: dict[str, tuple[Frontmatter, ParsedBody] | None] = {}
        self.pages: dict[str, LazyPage] = {}  # docname -> its page, for the batch
        self.asked = 0

    def result(self, page: LazyPage) -> tuple[Frontmatter, ParsedBody]:
        """The page's parse result: decoded, or parsed again when its entry does not decode."""
        from .parse_cache import load_entry
        from .parse_codec import decode_many

        docname = page.docname
        if docname not in self.decoded:
            self.asked += 1
            batch = list(self.entries) if self.asked > self.BATCH_AFTER else [docname]
            loaded = [(d, load_entry(self.entries.pop(d))) for d in batch]
            fitting = [(d, e) for d, e in loaded if _fits(e, self.pages.get(d, page).facts)]
            self.decoded.update(dict.fromkeys(batch))
            found = decode_many([entry for _, entry in fitting])
            for (name, _), result in zip(fitting, found, strict=True):
                self.decoded[name] = result
        result = self.decoded.pop(docname)
        if result is None:
            frontmatter, body = parse_text(
                page.text, page.is_markdown, self.depth, True, self.content
            )
            self._replace(page, frontmatter, body)
            return frontmatter, body
        return result

    def _replace(self, page: LazyPage, frontmatter: Frontmatter, body: ParsedBody) -> None:
        """Replace a bad snapshot entry with the page's fresh parse (written at the end of the
        lint: `ParseCache.save_replaced`)."""
        from .parse_codec import encode

        entry = encode(frontmatter, body)
        if self.cache is not None and entry is not None:
            self.cache.replace(page.digest_key, entry)


_PAGE_FIELDS = tuple(f.name for f in fields(Page))
_MARK_BITS = {mark: 1 << bit for bit, mark in enumerate(TEXT_MARKS)}
_INCLUDE_BITS = _MARK_BITS["{include}"] | _MARK_BITS["include::"]


class LazyPage(Page):
    """A page read from the tree snapshot whose parse result is decoded when first read, and
    whose text (when stat showed the file unchanged) is read from disk when first asked for,
    then checked against the digest its parse result was keyed on: a warm run that re-checks
    one page of 10,000 reads and decodes a few (the stored state answers the rest)."""

    def __init__(
        self,
        path: str,
        docname: str,
        pending: _Pending,
        absolute: str,
        key: str,
        facts: TextFacts | None,
    ) -> None:
        self._source: tuple[str, str, TextFacts | None]
        own = self.__dict__  # a frozen dataclass: set in place (10,000 pages a run)
        own["path"], own["docname"] = path, docname
        own["_pending"], own["_source"] = pending, (absolute, key, facts)
        pending.pages[docname] = self

    def _decode(self) -> tuple[Frontmatter, ParsedBody]:
        pending: _Pending = self.__dict__.pop("_pending")
        frontmatter, body = pending.result(self)
        pending.pages.pop(self.docname, None)
        self.__dict__["frontmatter"], self.__dict__["body"] = frontmatter, body
        return frontmatter, body

    def __eq__(self, other: object) -> bool:
        """Equal to the `Page` with the same fields, as a decoded page is."""
        if not isinstance(other, Page):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _PAGE_FIELDS)

    __hash__ = Page.__hash__

    @functools.cached_property
    def text(self) -> str:
        """The file's text, read now; SnapshotChanged when it is not the recorded one."""
        absolute, key, facts = self._source
        decoded = read_source(absolute)
        if isinstance(decoded, Unreadable) or _digest_key(self.path, decoded.digest) != key:
            raise SnapshotChanged(self.path)
        if facts is not None and text_facts(decoded.text) != facts:
            raise SnapshotChanged(self.path)  # a record not made from this text: trust none
        return decoded.text

    @property
    def digest_key(self) -> str:
        """The key of the page's parse entry in the snapshot."""
        return self._source[1]

    @functools.cached_property
    def facts(self) -> TextFacts:
        """`parse_cache.TextFacts` of the text, without reading it when the record has them."""
        facts = self._source[2]
        return text_facts(self.text) if facts is None or "text" in self.__dict__ else facts

    def mentions(self, mark: str) -> bool:
        if "text" not in self.__dict__ and mark in _MARK_BITS:
            return bool(self.facts[2] & _MARK_BITS[mark])
        return mark in self.text

    @property
    def has_includes(self) -> bool:
        """`Page.has_includes`, answered by the record's text marks alone for a page neither
        read nor decoded that mentions no include (most pages: CQ asks it of every page)."""
        own = self.__dict__
        if "body" not in own and "text" not in own:
            facts = self._source[2]
            if facts is not None and not facts[2] & _INCLUDE_BITS:
                return False
        return bool(Page.has_includes.fget(self))  # type: ignore[attr-defined]  # a property

    @functools.cached_property
    def frontmatter(self) -> Frontmatter:
        return self._decode()[0]

    @functools.cached_property
    def body(self) -> ParsedBody:
        return self._decode()[1]


def _encode(frontmatter: Frontmatter, body: ParsedBody) -> tuple[Any, ...] | None:
    from .parse_codec import encode

    return encode(frontmatter, body)


def _record(cache: ParseCache, source: SourceFile, started: int, key: str, text: str) -> None:
    """Record a file just read, with its stat taken after the read (see parse_cache)."""
    try:
        info = os.stat(source.absolute)
    except OSError:
        return
    cache.record(source.path, info, started, key, text)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# --- worker processes -------------------------------------------------------------------------


def _parse_in_workers(
    todo: list[tuple[SourceFile, str, str | None]],
    heading_anchor_depth: int,
    content: bool,
    parsed: dict[int, Parsed],
    entries: dict[int, Encoded],
    keep: bool,
) -> int:
    """Parse `todo` in worker processes and this one: results go into `parsed` by position
    (none where a worker could not parse or encode a page: the caller parses it), the workers'
    encoded results also into `entries` when `keep`. Returns how many pages workers parsed.

    With N cores, N - 1 worker processes take the head of `todo` and this process parses the
    tail meanwhile: its share is neither encoded nor decoded, and one process fewer starts. The
    workers get the texts as their initial state (inherited, not pickled, where processes fork)
    and are sent only the bounds of each chunk; each chunk comes back as one marshalled blob
    (bytes pickle at the cost of a copy; half the work of pickling the tuples, a quarter of
    their memory while waiting), which this process decodes as soon as its own share is done,
    while the workers still parse (`OWN_SHARE`).
    """
    import marshal
    import multiprocessing

    from .parse_codec import decode_many

    # fork is cheap and the workers inherit the imported parser; elsewhere use the default.
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    cores = min(WORKERS, _cpus())
    split = len(todo) - int(len(todo) / cores * OWN_SHARE)
    jobs = [
        (text, src.path.endswith(".md"), heading_anchor_depth, True, content)
        for src, text, _ in todo[:split]
    ]
    chunks = [(start, min(start + CHUNKSIZE, split)) for start in range(0, split, CHUNKSIZE)]
    from_workers = 0
    with context.Pool(cores - 1, initializer=_worker_init, initargs=(jobs,)) as pool:
        arriving = pool.imap(_work, chunks, chunksize=1)
        for position in range(split, len(todo)):
            source, text, _ = todo[position]
            markdown = source.path.endswith(".md")
            parsed[position] = parse_text(text, markdown, heading_anchor_depth, True, content)
        for (start, _), blob in zip(chunks, arriving, strict=True):
            encoded: list[Encoded | None] = marshal.loads(blob)
            found = [(start + n, entry) for n, entry in enumerate(encoded) if entry is not None]
            decoded = decode_many([entry for _, entry in found])
            for (position, entry), result in zip(found, decoded, strict=True):
                if result is not None:
                    parsed[position] = result
                    from_workers += 1
                    if keep:
                        entries[position] = entry
    return from_workers


Job = tuple[str, bool, int, bool, bool]  # parse_text's arguments
_JOBS: list[Job] = []  # in a worker: every job, of which it is sent bounds


def _worker_init(jobs: list[Job]) -> None:
    """Keep the jobs; leave Ctrl-C to the parent (no tracebacks from every worker)."""
    import signal

    global _JOBS
    _JOBS = jobs
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(bounds: tuple[int, int]) -> bytes:
    """Parse and encode the jobs in `bounds`, marshalled together; None (the parent parses it
    itself) for a page that fails or whose result marshal cannot hold."""
    import marshal

    from .parse_codec import encode

    encoded: list[Encoded | None] = []
    for job in _JOBS[bounds[0] : bounds[1]]:
        try:
            encoded.append(encode(*parse_text(*job)))
        except Exception:  # never a traceback from a worker: the parent redoes it and may report
            encoded.append(None)
    try:
        return marshal.dumps(encoded)
    except ValueError:  # nested too deeply for marshal: the pages that cannot go one by one
        return marshal.dumps([_marshallable(entry) for entry in encoded])


def _marshallable(entry: Encoded | None) -> Encoded | None:
    import marshal

    try:
        marshal.dumps(entry)
    except ValueError:
        return None
    return entry
