"""The caches' format key follows the model classes: a changed field makes old entries stale."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pytest

from nemo_docs_lint import parse_codec, schema_cache
from nemo_docs_lint.cache_file import format_key


def _span_like(extra: bool) -> type:
    if extra:

        @dataclass(frozen=True)
        class Span:
            line: int
            column: int
            offset: int

        return Span

    @dataclass(frozen=True)
    class Span:  # type: ignore[no-redef]  # the same name, one field fewer
        line: int
        column: int

    return Span


def test_format_key_changes_with_a_field() -> None:
    assert format_key(_span_like(False)) == format_key(_span_like(False))
    assert format_key(_span_like(False)) != format_key(_span_like(True))


def test_format_key_changes_with_an_enum_value() -> None:
    class Kind(str, enum.Enum):
        A = "a"

    class Kind2(str, enum.Enum):
        A = "b"

    Kind2.__qualname__ = Kind.__qualname__
    assert format_key(Kind) != format_key(Kind2)


def test_format_key_refuses_other_classes() -> None:
    with pytest.raises(TypeError):
        format_key(int)


def test_the_caches_use_derived_keys() -> None:
    assert len(parse_codec.FORMAT_KEY) == 16 and len(schema_cache.FORMAT_KEY) == 16
    assert parse_codec.FORMAT_KEY != schema_cache.FORMAT_KEY
