"""`record`: a frozen dataclass that costs half as much to define.

`dataclasses.dataclass` compiles each method it adds from source, one `exec` apiece: defining a
frozen class (six methods) took ~1.4 ms on this project's machine, and a run imports some fifty
of them. A `record` is `dataclass(frozen=True, eq=False, repr=False)` (its `__init__` and frozen
guards still compiled) given shared `__eq__`, `__hash__` and `__repr__` functions that read the
fields with one `operator.attrgetter`: the same comparisons, hash values and text as the
dataclass's own (tests/test_records.py), and `dataclasses.fields`, `replace` and `asdict` work as
on any dataclass. A method the class body defines is kept, as `dataclass` keeps it.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, cast, dataclass_transform, overload

_T = TypeVar("_T", bound=type)


@overload
def record(cls: _T, /) -> _T: ...


@overload
def record(*, slots: bool = False) -> Callable[[_T], _T]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: _T | None = None, /, *, slots: bool = False) -> _T | Callable[[_T], _T]:
    """`@dataclass(frozen=True)` (`slots=True`: with slots), for less (see the module)."""

    def wrap(cls: _T) -> _T:
        made: type = dataclasses.dataclass(cls, frozen=True, slots=slots, eq=False, repr=False)
        _add_methods(made)
        return cast(_T, made)

    return wrap if cls is None else wrap(cls)


def _add_methods(cls: type) -> None:
    fields = dataclasses.fields(cls)
    own = cls.__dict__
    if "__eq__" not in own:
        compared = _values([f.name for f in fields if f.compare])

        def __eq__(self: Any, other: object) -> bool:
            if other.__class__ is self.__class__:
                return bool(compared(self) == compared(other))
            return NotImplemented

        _set(cls, __eq__)
    # As dataclass for frozen=True, eq=True: a hash of the compared fields unless the body
    # sets one (a body defining `__eq__` alone has `__hash__ = None`, which is not its own).
    if "__hash__" not in own or (own["__hash__"] is None and "__eq__" in own):
        hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

        def __hash__(self: Any) -> int:
            return hash(hashed(self))

        _set(cls, __hash__)
    if "__repr__" not in own:
        shown = [f.name for f in fields if f.repr]

        @reprlib.recursive_repr()
        def __repr__(self: Any) -> str:
            values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({values})"

        _set(cls, __repr__)


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields' values as one tuple, as dataclass compares and hashes them."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _set(cls: type, method: Callable[..., Any]) -> None:
    method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
    setattr(cls, method.__name__, method)
