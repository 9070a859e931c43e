"""`records.record` classes compare, hash and print exactly as the frozen dataclasses they stand
for, and are dataclasses to `dataclasses` itself."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from nemo_docs_lint.model import Finding, Span
from nemo_docs_lint.records import record


@dataclass(frozen=True, slots=True)
class _Plain:
    line: int
    text: str | None = None
    tags: tuple[str, ...] = ()
    hidden: int = field(default=0, repr=False, compare=False)


@record(slots=True)
class _Record:
    line: int
    text: str | None = None
    tags: tuple[str, ...] = ()
    hidden: int = field(default=0, repr=False, compare=False)


@record
class _One:
    name: str


@dataclass(frozen=True)
class _PlainOne:
    name: str


@record
class _None:
    pass


@record
class _OwnEq:
    name: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _OwnEq) and self.name.lower() == other.name.lower()


VALUES = [(1,), (1, "a"), (2, None, ("x", "y"), 7), (1, "a", (), 9)]


@pytest.mark.parametrize("args", VALUES)
def test_a_record_hashes_and_prints_as_the_dataclass(args: tuple) -> None:
    plain, made = _Plain(*args), _Record(*args)
    assert hash(made) == hash(plain)
    assert repr(made) == repr(plain).replace("_Plain", "_Record")
    assert dataclasses.astuple(made) == dataclasses.astuple(plain)


def test_a_record_compares_as_the_dataclass() -> None:
    for a in VALUES:
        for b in VALUES:
            assert (_Record(*a) == _Record(*b)) is (_Plain(*a) == _Plain(*b))
            assert (_Record(*a) != _Record(*b)) is (_Plain(*a) != _Plain(*b))
    assert _Record(1, hidden=1) == _Record(1, hidden=2)  # compare=False
    assert _Record(1) != _Plain(1)  # another class: not equal
    assert _Record(1).__eq__(_Plain(1)) is NotImplemented
    assert hash(_One("a")) == hash(_PlainOne("a"))  # one field: hashed as a 1-tuple
    assert repr(_One("a")) == "_One(name='a')"
    assert (_None() == _None(), hash(_None()), repr(_None())) == (True, hash(()), "_None()")


def test_a_record_is_a_frozen_dataclass() -> None:
    made = _Record(1, "a")
    assert dataclasses.is_dataclass(made)
    assert [f.name for f in dataclasses.fields(made)] == ["line", "text", "tags", "hidden"]
    assert dataclasses.replace(made, line=2) == _Record(2, "a")
    assert dataclasses.asdict(made) == {"line": 1, "text": "a", "tags": (), "hidden": 0}
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 3  # type: ignore[misc]  # the point: frozen
    assert not hasattr(made, "__dict__")  # slots
    assert pickle.loads(pickle.dumps(made)) == made
    assert _Record.__eq__.__qualname__ == "_Record.__eq__"


def test_a_method_the_body_defines_is_kept() -> None:
    assert _OwnEq("A") == _OwnEq("a")
    assert hash(_OwnEq("a")) == hash(("a",))  # as dataclass: hashed although __eq__ is own


def test_the_model_classes_are_records() -> None:
    span = Span(1, 2, 3, 4)
    finding = Finding("a.md", span, "m")
    assert finding == Finding("a.md", Span(1, 2, 3, 4), "m")
    assert hash(span) == hash((1, 2, 3, 4))
    assert repr(span) == "Span(line=1, column=2, end_line=3, end_column=4)"


@dataclass(frozen=True)
class _PlainDerived:
    items: frozenset[str]
    extra: dict[str, int] = field(default_factory=dict)
    count: int = field(init=False)
    fixed: int = field(default=5, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "count", len(self.items))


@record
class _Derived:
    items: frozenset[str]
    extra: dict[str, int] = field(default_factory=dict)
    count: int = field(init=False)
    fixed: int = field(default=5, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "count", len(self.items))


def test_a_record_is_built_as_the_dataclass() -> None:
    for args, kwargs in [((frozenset("ab"),), {}), ((frozenset(),), {"extra": {"x": 1}})]:
        plain, made = _PlainDerived(*args, **kwargs), _Derived(*args, **kwargs)
        assert dataclasses.astuple(made) == dataclasses.astuple(plain)
        assert repr(made) == repr(plain).replace("_PlainDerived", "_Derived")
    assert _Derived(frozenset()).extra is not _Derived(frozenset()).extra  # a fresh dict each
    with pytest.raises(TypeError):
        _Derived(frozenset(), {}, 3)  # type: ignore[call-arg]  # the point: not in __init__


@pytest.mark.parametrize("made", [_Record(1), _Derived(frozenset()), _PlainDerived(frozenset())])
def test_a_record_refuses_changes_as_the_dataclass(made: object) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError) as assigned:
        made.extra = 1  # type: ignore[attr-defined]  # the point: refused
    with pytest.raises(dataclasses.FrozenInstanceError) as deleted:
        del made.extra  # type: ignore[attr-defined]  # the point: refused
    assert str(assigned.value) == "cannot assign to field 'extra'"
    assert str(deleted.value) == "cannot delete field 'extra'"
    assert copy.copy(made) == made and copy.deepcopy(made) == made
