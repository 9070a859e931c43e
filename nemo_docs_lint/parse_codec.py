"""Parse results as compact plain tuples, and back: the wire format of the cache and the workers.

An encoded page is `(frontmatter, body)` built only from tuples, str, int, bool, float, None and
(inside frontmatter data) list and dict, so it survives `marshal` and pickling cheaply. Decoding
validates every field's type: a cache file is data from disk and is never trusted.
"""

from __future__ import annotations

from .frontmatter import Frontmatter, FrontmatterError, Position
from .model import (
    Comment,
    Heading,
    Label,
    ParsedBody,
    Reference,
    RefKind,
    Span,
    TocEntry,
    Toctree,
)

Encoded = tuple  # (frontmatter tuple, body tuple)

_KINDS = {kind.value: kind for kind in RefKind}
_SCALARS = (str, int, float, bool, type(None))
MAX_DATA_DEPTH = 100


class CodecError(ValueError):
    """An encoded entry does not have the expected structure."""


# --- encoding ---------------------------------------------------------------------------------


def _s(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


def encode(frontmatter: Frontmatter, body: ParsedBody) -> Encoded | None:
    """The plain-tuple form of a parse result, or None when its data is not plain YAML data."""
    if frontmatter.data is not None and not _plain(frontmatter.data, 0, set()):
        return None  # e.g. `!!timestamp` (datetime), `!!binary` (bytes), `!!set`, recursion
    error = frontmatter.error
    fm = (
        frontmatter.present,
        frontmatter.data,
        tuple(
            (path, None if p.key is None else _s(p.key), _s(p.value))
            for path, p in frontmatter.positions.items()
        ),
        None if error is None else (error.message, error.line, error.column),
        frontmatter.end_line,
    )
    toctrees = tuple(
        (
            _s(t.span),
            tuple((e.target, e.title, _s(e.span)) for e in t.entries),
            t.glob,
            t.hidden,
            t.caption,
            t.maxdepth,
        )
        for t in body.toctrees
    )
    parsed = (
        tuple((r.kind.value, r.target, _s(r.span), r.link_type) for r in body.references),
        tuple((label.name, _s(label.span)) for label in body.labels),
        tuple((h.level, h.text, h.slug, _s(h.span)) for h in body.headings),
        toctrees,
        tuple((c.text, _s(c.span)) for c in body.comments),
        body.title,
    )
    return (fm, parsed)


def _plain(value: object, depth: int, path: set[int]) -> bool:
    """True when value is JSON-like data (no recursion, bounded depth)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if depth > MAX_DATA_DEPTH or id(value) in path:
        return False
    if kind is list:
        path.add(id(value))
        ok = all(_plain(item, depth + 1, path) for item in value)  # type: ignore[attr-defined]
    elif kind is dict:
        path.add(id(value))
        ok = all(
            type(k) in _SCALARS and _plain(v, depth + 1, path)
            for k, v in value.items()  # type: ignore[attr-defined]
        )
    else:
        return False
    path.discard(id(value))
    return ok


# --- decoding ---------------------------------------------------------------------------------


def _span(value: object) -> Span:
    if type(value) is not tuple or len(value) != 4:
        raise CodecError("span")
    a, b, c, d = value
    if type(a) is not int or type(b) is not int or type(c) is not int or type(d) is not int:
        raise CodecError("span")
    return Span(a, b, c, d)


def _str(value: object) -> str:
    if type(value) is not str:
        raise CodecError("str")
    return value  # type: ignore[return-value]


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _int(value: object) -> int:
    if type(value) is not int:
        raise CodecError("int")
    return value  # type: ignore[return-value]


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise CodecError("bool")
    return value  # type: ignore[return-value]


def _rows(value: object, width: int) -> tuple:
    if type(value) is not tuple:
        raise CodecError("rows")
    for row in value:  # type: ignore[attr-defined]
        if type(row) is not tuple or len(row) != width:
            raise CodecError("row")
    return value  # type: ignore[return-value]


def _key_path(value: object) -> tuple:
    if type(value) is not tuple or not value:
        raise CodecError("key path")
    for part in value:  # type: ignore[attr-defined]
        if type(part) not in (str, int):
            raise CodecError("key path")
    return value  # type: ignore[return-value]


def decode(entry: object) -> tuple[Frontmatter, ParsedBody]:
    """Rebuild the model objects of an encoded entry; CodecError when anything is off."""
    try:
        return _decode(entry)
    except CodecError:
        raise
    except (TypeError, ValueError, KeyError, RecursionError) as exc:
        raise CodecError(str(exc)) from None


def _decode(entry: object) -> tuple[Frontmatter, ParsedBody]:
    if type(entry) is not tuple or len(entry) != 2:
        raise CodecError("entry")
    fm, parsed = entry
    if type(fm) is not tuple or len(fm) != 5:
        raise CodecError("frontmatter")
    present, data, positions, error, end_line = fm
    if data is not None and (type(data) is not dict or not _plain(data, 0, set())):
        raise CodecError("frontmatter data")
    frontmatter = Frontmatter(
        present=_bool(present),
        data=data,  # type: ignore[arg-type]
        positions={
            _key_path(path): Position(None if key is None else _span(key), _span(value))
            for path, key, value in _rows(positions, 3)
        },
        error=None if error is None else _error(error),
        end_line=_int(end_line),
    )
    if type(parsed) is not tuple or len(parsed) != 6:
        raise CodecError("body")
    refs, labels, headings, toctrees, comments, title = parsed
    body = ParsedBody(
        references=tuple(
            Reference(_KINDS[_str(kind)], _str(target), _span(span), _opt_str(link_type))
            for kind, target, span, link_type in _rows(refs, 4)
        ),
        labels=tuple(Label(_str(name), _span(span)) for name, span in _rows(labels, 2)),
        headings=tuple(
            Heading(_int(level), _str(text), _str(slug), _span(span))
            for level, text, slug, span in _rows(headings, 4)
        ),
        toctrees=tuple(_toctree(row) for row in _rows(toctrees, 6)),
        comments=tuple(Comment(_str(text), _span(span)) for text, span in _rows(comments, 2)),
        title=_opt_str(title),
    )
    return frontmatter, body


def _error(value: object) -> FrontmatterError:
    if type(value) is not tuple or len(value) != 3:
        raise CodecError("frontmatter error")
    message, line, column = value
    return FrontmatterError(_str(message), _int(line), _int(column))


def _toctree(row: tuple) -> Toctree:
    span, entries, glob, hidden, caption, maxdepth = row
    return Toctree(
        span=_span(span),
        entries=tuple(
            TocEntry(_str(target), _opt_str(title), _span(entry_span))
            for target, title, entry_span in _rows(entries, 3)
        ),
        glob=_bool(glob),
        hidden=_bool(hidden),
        caption=_opt_str(caption),
        maxdepth=None if maxdepth is None else _int(maxdepth),
    )
