"""Parse results as compact plain tuples, and back: the wire format of the cache and the workers.

An encoded page is `(spans, frontmatter, body)` built only from tuples, str, int, bool, float,
None and (inside frontmatter data) list and dict, so it survives `marshal` and pickling cheaply.
Decoding validates every field's type: a cache file is data from disk and is never trusted.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import fields
from itertools import accumulate, chain, islice, repeat
from operator import add, floordiv, lt, mod
from typing import Any

from .cache_file import format_key
from .model import (
    PROSE_MARKS,
    CodeBlock,
    Comment,
    Frontmatter,
    FrontmatterError,
    Heading,
    Include,
    Label,
    ParsedBody,
    Position,
    Reference,
    RefKind,
    Span,
    TocEntry,
    Toctree,
)

Encoded = tuple[Any, ...]  # (frontmatter tuple, body tuple)

_KINDS = {kind.value: kind for kind in RefKind}
# What an encoded entry holds: change one of these classes, or the words the parser records in
# `ParsedBody.prose_marks`, and cached entries are stale.
_SHAPES = format_key(
    Span,
    Position,
    FrontmatterError,
    Frontmatter,
    RefKind,
    Reference,
    Label,
    Heading,
    TocEntry,
    Toctree,
    Comment,
    Include,
    CodeBlock,
    ParsedBody,
)
FORMAT_KEY = hashlib.blake2b(repr((_SHAPES, PROSE_MARKS)).encode(), digest_size=8).hexdigest()
_SCALARS: frozenset[type] = frozenset((str, int, float, bool, type(None)))
_INT: frozenset[type] = frozenset((int,))
_OPT_INT: frozenset[type] = frozenset((int, type(None)))
_STR: frozenset[type] = frozenset((str,))
_OPT_STR: frozenset[type] = frozenset((str, type(None)))
_BOOL: frozenset[type] = frozenset((bool,))
_TUPLE: frozenset[type] = frozenset((tuple,))
_KEY_PARTS: frozenset[type] = frozenset((str, int))
MAX_DATA_NODES = 100_000
_new = object.__new__
_drain: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend


class CodecError(ValueError):
    """An encoded entry does not have the expected structure."""


# --- encoding ---------------------------------------------------------------------------------
#
# entry = (spans, frontmatter, body); `spans` is one flat tuple of ints, four per span, and every
# record names its span by index, so that decoding checks all of them with a few C-level calls.


def encode(frontmatter: Frontmatter, body: ParsedBody) -> Encoded | None:
    """The plain-tuple form of a parse result, or None when its data is not plain YAML data."""
    if frontmatter.data is not None and not _plain(frontmatter.data):
        return None  # e.g. `!!timestamp` (datetime), `!!binary` (bytes), `!!set`, recursion
    flat: list[int] = []

    def s(span: Span) -> int:
        flat.extend((span.line, span.column, span.end_line, span.end_column))
        return len(flat) // 4 - 1

    error = frontmatter.error
    fm = (
        frontmatter.present,
        frontmatter.data,
        tuple(
            (path, None if p.key is None else s(p.key), s(p.value))
            for path, p in frontmatter.positions.items()
        ),
        None if error is None else (error.message, error.line, error.column),
        frontmatter.end_line,
    )
    toctrees = tuple(
        (
            s(t.span),
            tuple((e.target, e.title, s(e.span)) for e in t.entries),
            t.glob,
            t.hidden,
            t.caption,
            t.maxdepth,
        )
        for t in body.toctrees
    )
    parsed = (
        tuple(
            (
                r.kind.value,
                r.target,
                s(r.span),
                r.link_type,
                r.text,
                None if r.text_span is None else s(r.text_span),
            )
            for r in body.references
        ),
        tuple((label.name, s(label.span), label.kind) for label in body.labels),
        tuple((h.level, h.text, h.slug, s(h.span), h.nested) for h in body.headings),
        toctrees,
        tuple((c.text, s(c.span)) for c in body.comments),
        body.title,
        tuple(
            (
                i.target,
                s(i.span),
                i.start_after,
                i.end_before,
                i.heading_offset,
                i.parsed,
                i.start_line,
                i.end_line,
            )
            for i in body.includes
        ),
        tuple((b.language, s(b.span), b.directive) for b in body.code_blocks),
        body.prose,
        body.prose_marks,
    )
    return (tuple(flat), fm, parsed)


def _plain(value: object) -> bool:
    """True when value is JSON-like data: scalars, lists, dicts with scalar keys (bounded size)."""
    stack = [value]
    budget = MAX_DATA_NODES  # also ends recursive structures (`&a [*a]`)
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not set(map(type, item)) <= _SCALARS:  # type: ignore[call-overload]  # a dict, by the check above
                return False
            stack.extend(item.values())  # type: ignore[attr-defined]  # a dict, by the check above
        elif kind is list:
            stack.extend(item)  # type: ignore[arg-type]  # a list, by the check above
        elif kind not in _SCALARS:
            return False
        budget -= 1
        if budget < 0:
            return False
    return True


# --- decoding ---------------------------------------------------------------------------------


def decode(entry: object) -> tuple[Frontmatter, ParsedBody]:
    """Rebuild the model objects of an encoded entry; CodecError when anything is off.

    One decoder: this is the batch decoder (`decode_many`'s) on a batch of one."""
    try:
        result = _decode_many([entry])[0]
        assert result is not None
        return result
    except CodecError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, RecursionError) as exc:
        raise CodecError(f"{type(exc).__name__}: {exc}") from None


def _fast_setters(cls: type) -> tuple[Any, ...] | None:
    """Slot setters of a frozen, slotted dataclass whose __init__ only stores its fields."""
    names = [f.name for f in fields(cls)]
    if getattr(cls, "__slots__", None) != tuple(names) or hasattr(cls, "__post_init__"):
        return None
    return tuple(cls.__dict__[name].__set__ for name in names)


_SETTERS = {cls: _fast_setters(cls) for cls in (Span, Position, Reference, Heading)}


def _make(cls: type, count: int, *columns: Iterable[Any]) -> list[Any]:
    """`count` instances of `cls` from one iterable per field, each exactly `count` long.

    The objects are built column by column with the slots' setters (C calls only): decoding
    ~40 spans and ~30 other records per page this way is about twice as fast as `__init__`.
    """
    setters = _SETTERS[cls]  # type: ignore[index]  # one of the four classes, by the callers
    if setters is None:  # the class changed shape: construct normally
        return list(map(cls, *columns))
    objects: list[Any] = list(map(_new, repeat(cls, count)))
    for setter, column in zip(setters, columns, strict=True):
        _drain(map(setter, objects, column))
    return objects


def _check(column: tuple[Any, ...], allowed: frozenset[type], what: str) -> tuple[Any, ...]:
    if not set(map(type, column)) <= allowed:
        raise CodecError(what)
    return column


def _columns(rows: object, width: int, what: str) -> list[tuple[Any, ...]]:
    """The columns of a tuple of equal-width row tuples (empty columns when there are no rows)."""
    if type(rows) is not tuple or not set(map(type, rows)) <= _TUPLE:
        raise CodecError(what)
    if not rows:
        return [()] * width
    if set(map(len, rows)) != {width}:
        raise CodecError(what)
    return list(zip(*rows, strict=True))


def _one(value: object, allowed: frozenset[type]) -> Any:
    if type(value) not in allowed:
        raise CodecError("field")
    return value


def _error(value: object) -> FrontmatterError:
    if type(value) is not tuple or len(value) != 3:
        raise CodecError("frontmatter error")
    message, line, column = value
    return FrontmatterError(_one(message, _STR), _one(line, _INT), _one(column, _INT))


def _columns_rows(rows: object) -> tuple[Any, ...]:
    _columns(rows, 6, "toctrees")
    return rows  # type: ignore[return-value]  # a tuple of rows, checked by _columns


def _toctree(row: tuple[Any, ...], at: Callable[[tuple[Any, ...]], map[Any]]) -> Toctree:
    span, entries, glob, hidden, caption, maxdepth = row
    targets, titles, entry_spans = _columns(entries, 3, "toctree entries")
    return Toctree(
        span=next(at((span,))),
        entries=tuple(
            map(
                TocEntry,
                _check(targets, _STR, "entry"),
                _check(titles, _OPT_STR, "entry title"),
                at(entry_spans),
            )
        ),
        glob=_one(glob, _BOOL),
        hidden=_one(hidden, _BOOL),
        caption=_one(caption, _OPT_STR),
        maxdepth=_one(maxdepth, _OPT_INT),
    )


# --- decoding many entries at once --------------------------------------------------------------
#
# A warm run decodes every page of the tree. Per entry, `decode` makes ~25 small validating calls;
# for 10,000 entries that fixed cost outweighs building the objects. `decode_many` validates and
# builds each field of all entries together (one span table, one column per field), then splits
# the objects back per page. Any failure sends every entry through `decode` (the same code on a
# batch of one), which finds the bad ones.


def decode_many(entries: list[Any]) -> list[tuple[Frontmatter, ParsedBody] | None]:
    """`decode` of each entry, None where it raises CodecError."""
    try:
        return _decode_many(entries)
    except (CodecError, TypeError, ValueError, KeyError, IndexError, RecursionError):
        pass
    results: list[tuple[Frontmatter, ParsedBody] | None] = []
    for entry in entries:
        try:
            results.append(decode(entry))
        except CodecError:
            results.append(None)
    return results


def _rows(per_entry: tuple[Any, ...], width: int) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Columns of all entries' rows together, and each entry's row count."""
    if not set(map(type, per_entry)) <= _TUPLE:
        raise CodecError("rows")
    lengths = list(map(len, per_entry))
    rows = tuple(chain.from_iterable(per_entry))
    if not rows:
        return [()] * width, lengths
    if set(map(type, rows)) != _TUPLE or set(map(len, rows)) != {width}:
        raise CodecError("rows")
    return list(zip(*rows, strict=True)), lengths


def _split(objects: list[Any], lengths: list[int]) -> list[tuple[Any, ...]]:
    """`objects` cut back into one tuple per entry."""
    it = iter(objects)
    return [tuple(islice(it, n)) if n else () for n in lengths]


def _decode_many(entries: list[Any]) -> list[tuple[Frontmatter, ParsedBody] | None]:
    if not entries:
        return []
    if set(map(type, entries)) != _TUPLE or set(map(len, entries)) != {3}:
        raise CodecError("entry")
    flats, fms, bodies = zip(*entries, strict=True)
    if set(map(type, flats)) != _TUPLE or set(map(mod, map(len, flats), repeat(4))) != {0}:
        raise CodecError("spans")
    flat = tuple(chain.from_iterable(flats))
    if not set(map(type, flat)) <= _INT:
        raise CodecError("spans")
    spans = _make(Span, len(flat) // 4, flat[0::4], flat[1::4], flat[2::4], flat[3::4])
    counts = list(map(floordiv, map(len, flats), repeat(4)))
    offsets = list(accumulate(counts, initial=0))

    def at(indices: tuple[Any, ...], lengths: list[int]) -> list[Any]:
        """Span objects of every entry's local span indices (rows of each entry, in order)."""
        _check(indices, _INT, "span index")
        if not indices:
            return []
        limits = chain.from_iterable(map(repeat, counts, lengths))
        if min(indices) < 0 or not all(map(lt, indices, limits)):
            raise CodecError("span index")
        shifted = map(add, indices, chain.from_iterable(map(repeat, offsets, lengths)))
        return list(map(spans.__getitem__, shifted))

    # frontmatter
    if set(map(type, fms)) != _TUPLE or set(map(len, fms)) != {5}:
        raise CodecError("frontmatter")
    presents, datas, positions, errors, end_lines = zip(*fms, strict=True)
    _check(presents, _BOOL, "field")
    _check(end_lines, _INT, "field")
    for data in datas:
        if data is not None and (type(data) is not dict or not _plain(data)):
            raise CodecError("frontmatter data")
    (paths, keys, values), position_counts = _rows(positions, 3)
    _check(paths, _TUPLE, "key path")
    _check(tuple(chain.from_iterable(paths)), _KEY_PARTS, "key path")
    _check(keys, _OPT_INT, "span index")
    key_rows = [n for n, key in enumerate(keys) if key is not None]
    row_entry = list(chain.from_iterable(map(repeat, range(len(entries)), position_counts)))
    key_entries = [row_entry[n] for n in key_rows]
    key_lengths = [0] * len(entries)
    for entry_number in key_entries:
        key_lengths[entry_number] += 1
    key_spans: list[Any] = [None] * len(keys)
    for n, span in zip(key_rows, at(tuple(keys[n] for n in key_rows), key_lengths), strict=True):
        key_spans[n] = span
    position_objects = _make(Position, len(paths), key_spans, at(values, position_counts))
    path_groups = _split(list(paths), position_counts)
    position_groups = _split(position_objects, position_counts)
    frontmatters = [
        Frontmatter(
            present=present,
            data=data,
            positions=dict(zip(group_paths, group, strict=True)),
            error=None if error is None else _error(error),
            end_line=end_line,
        )
        for present, data, group_paths, group, error, end_line in zip(
            presents, datas, path_groups, position_groups, errors, end_lines, strict=True
        )
    ]

    # body
    if set(map(type, bodies)) != _TUPLE or set(map(len, bodies)) != {10}:
        raise CodecError("body")
    refs, labels, headings, toctrees, comments, titles, includes, blocks, proses, marks = zip(
        *bodies, strict=True
    )
    (kinds, targets, ref_spans, link_types, ref_texts, text_spans), ref_counts = _rows(refs, 6)
    references = _make(
        Reference,
        len(kinds),
        map(_KINDS.__getitem__, _check(kinds, _STR, "kind")),
        _check(targets, _STR, "target"),
        at(ref_spans, ref_counts),
        _check(link_types, _OPT_STR, "link type"),
        _check(ref_texts, _OPT_STR, "link text"),
        _optional_spans(text_spans, ref_counts, at),
    )
    (names, label_spans, label_kinds), label_counts = _rows(labels, 3)
    label_objects = list(
        map(
            Label,
            _check(names, _STR, "label"),
            at(label_spans, label_counts),
            _check(label_kinds, _STR, "label kind"),
        )
    )
    include_columns, include_counts = _rows(includes, 8)
    include_objects = _includes(include_columns, at(include_columns[1], include_counts))
    (levels, texts, slugs, heading_spans, nested), heading_counts = _rows(headings, 5)
    heading_objects = _make(
        Heading,
        len(levels),
        _check(levels, _INT, "level"),
        _check(texts, _STR, "heading"),
        _check(slugs, _STR, "slug"),
        at(heading_spans, heading_counts),
        _check(nested, _BOOL, "nested"),
    )
    (languages, block_spans, directive_names), block_counts = _rows(blocks, 3)
    block_objects = list(
        map(
            CodeBlock,
            _check(languages, _STR, "language"),
            at(block_spans, block_counts),
            _check(directive_names, _STR, "directive"),
        )
    )
    (comment_texts, comment_spans), comment_counts = _rows(comments, 2)
    comment_objects = list(
        map(Comment, _check(comment_texts, _STR, "comment"), at(comment_spans, comment_counts))
    )
    _check(titles, _OPT_STR, "field")
    toctree_groups: list[tuple[Toctree, ...]] = []
    for number, rows in enumerate(toctrees):
        if rows == ():
            toctree_groups.append(())
            continue
        page_spans = spans[offsets[number] : offsets[number + 1]]

        def page_at(indices: tuple[Any, ...], page_spans: list[Any] = page_spans) -> map[Any]:
            _check(indices, _INT, "span index")
            if indices and (min(indices) < 0 or max(indices) >= len(page_spans)):
                raise CodecError("span index")
            return map(page_spans.__getitem__, indices)

        toctree_groups.append(tuple(_toctree(row, page_at) for row in _columns_rows(rows)))
    bodies_out = map(
        ParsedBody,
        _split(references, ref_counts),
        _split(label_objects, label_counts),
        _split(heading_objects, heading_counts),
        toctree_groups,
        _split(comment_objects, comment_counts),
        titles,
        _split(include_objects, include_counts),
        _split(block_objects, block_counts),
        list(map(_pairs, proses)),
        _check(marks, _INT, "prose marks"),
    )
    return list(zip(frontmatters, bodies_out, strict=True))


def _pairs(flat: object) -> tuple[int, ...]:
    """Prose line ranges (first, last, first, last, ...): an even number of ints."""
    if type(flat) is not tuple or len(flat) % 2 or not set(map(type, flat)) <= _INT:
        raise CodecError("prose")
    return flat


def _optional_spans(
    indices: tuple[Any, ...],
    counts: list[int],
    at: Callable[[tuple[Any, ...], list[int]], list[Any]],
) -> list[Any]:
    """Span objects for optional span indices (None stays None), rows of each entry in order."""
    _check(indices, _OPT_INT, "span index")
    rows = [n for n, index in enumerate(indices) if index is not None]
    if not rows:
        return [None] * len(indices)
    owner = list(chain.from_iterable(map(repeat, range(len(counts)), counts)))
    lengths = [0] * len(counts)
    for n in rows:
        lengths[owner[n]] += 1
    found: list[Any] = [None] * len(indices)
    for n, span in zip(rows, at(tuple(indices[n] for n in rows), lengths), strict=True):
        found[n] = span
    return found


def fits(entry: object, text: str) -> bool:
    """Whether a (structurally valid) entry's positions can be the parser's for `text`.

    A cache file is data from disk: with a recomputed checksum it can hold well-typed entries
    whose spans point before line 1, past the last line or beyond the text. Each span must have
    1 <= line <= end_line <= the text's line count and columns from 1 to the text's length + 1;
    the frontmatter's closing line and error position likewise; prose line ranges within
    the text. C-level passes over the flat
    span tuple: no Python loop per span.
    """
    return fits_shape(entry, text.count("\n") + 1, len(text))


def fits_shape(entry: object, lines: int, length: int) -> bool:
    """`fits` for a text of `lines` lines and `length` characters (not read: its facts)."""
    if not isinstance(entry, tuple):
        return False
    spans, fm = entry[0], entry[1]
    width = length + 1
    if spans:
        starts, columns, ends, end_columns = spans[0::4], spans[1::4], spans[2::4], spans[3::4]
        if min(spans) < 1 or max(ends) > lines or max(columns) > width:
            return False
        if max(end_columns) > width or any(map(lt, ends, starts)):
            return False
    prose = entry[2][8]
    if prose and (min(prose) < 1 or max(prose) > lines):
        return False
    end_line, error = fm[4], fm[3]
    if not 0 <= end_line <= lines:
        return False
    return error is None or (1 <= error[1] <= lines + 1 and 1 <= error[2] <= width)


def _includes(columns: list[tuple[Any, ...]], spans: Iterable[Span]) -> list[Include]:
    """Include records from their columns (target, span index, options) and their spans."""
    targets, _, starts, ends, offsets, parsed, start_lines, end_lines = columns
    return list(
        map(
            Include,
            _check(targets, _STR, "include"),
            spans,
            _check(starts, _OPT_STR, "include option"),
            _check(ends, _OPT_STR, "include option"),
            _check(offsets, _INT, "include option"),
            _check(parsed, _BOOL, "include option"),
            _check(start_lines, _OPT_INT, "include option"),
            _check(end_lines, _OPT_INT, "include option"),
        )
    )
