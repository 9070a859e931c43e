"""`record`: a frozen dataclass that costs a third as much to define.

`dataclasses.dataclass` compiles each method it adds from source, one `exec` apiece: defining a
frozen class (six methods) took ~1.4 ms on this project's machine, and a run imports some fifty
of them. A `record` is a dataclass (`dataclasses.fields`, `replace` and `asdict` work on it)
whose `__init__`, `__eq__` and `__hash__` are compiled in one `exec`, as the frozen dataclass's
own are written, and whose `__repr__` and frozen `__setattr__`/`__delattr__` are shared
functions: the same comparisons, hash values, text and `FrozenInstanceError`s as the frozen
dataclass's (tests/test_records.py). A method the class body defines is kept, as `dataclass`
keeps it.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
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
        made: type = dataclasses.dataclass(
            cls, init=False, repr=False, eq=False, frozen=False, match_args=True, slots=slots
        )
        _add_methods(made, slots)
        return cast(_T, made)

    return wrap if cls is None else wrap(cls)


def _add_methods(cls: type, slots: bool) -> None:
    fields = dataclasses.fields(cls)
    own = cls.__dict__
    _compile_methods(cls, fields)
    if "__repr__" not in own:
        shown = [f.name for f in fields if f.repr]

        @reprlib.recursive_repr()
        def __repr__(self: Any) -> str:
            values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({values})"

        _set(cls, __repr__)
    names = frozenset(f.name for f in fields)

    def assign(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]  # cls: a class (mypy narrows it by the test above)

    def delete(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]  # cls: a class (as above)

    for attribute, guard in (("__setattr__", assign), ("__delattr__", delete)):
        if attribute in own:
            raise TypeError(f"cannot overwrite attribute {attribute} in class {cls.__name__}")
        _set(cls, guard, attribute)
    if slots:  # pickle and copy set the slots through these, not the guards

        def __getstate__(self: Any) -> list[object]:
            return [getattr(self, f.name) for f in fields]

        def __setstate__(self: Any, state: list[object]) -> None:
            for f, value in zip(fields, state, strict=True):
                object.__setattr__(self, f.name, value)

        _set(cls, __getstate__)
        _set(cls, __setstate__)


def _compile_methods(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    """Add the `__init__`, `__eq__` and `__hash__` a frozen dataclass of these fields has
    (defaults, default factories, fields left out of `__init__`, `__post_init__`; the compared
    fields' tuple; the hash of the hashed fields' tuple), those the body does not define, all
    compiled at once (what a dataclass compiles one `exec` apiece)."""
    own = cls.__dict__
    namespace: dict[str, Any] = {"_set": object.__setattr__, "_MISSING": MISSING}
    source: list[str] = []
    if "__init__" not in own:
        source.append(_init_source(cls, fields, namespace))
    if "__eq__" not in own:
        compared = [f.name for f in fields if f.compare]
        source.append(
            "def __eq__(self, other):\n"
            "    if other.__class__ is self.__class__:\n"
            f"        return {_tuple('self', compared)} == {_tuple('other', compared)}\n"
            "    return NotImplemented\n"
        )
    # As dataclass for frozen=True, eq=True: a hash of the compared fields unless the body
    # sets one (a body defining `__eq__` alone has `__hash__ = None`, which is not its own).
    if "__hash__" not in own or (own["__hash__"] is None and "__eq__" in own):
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        source.append(f"def __hash__(self):\n    return hash({_tuple('self', hashed)})\n")
    exec("".join(source), namespace)  # field names only, as dataclasses does
    for name in ("__init__", "__eq__", "__hash__"):
        if name in namespace:
            _set(cls, namespace[name])


def _tuple(obj: str, names: list[str]) -> str:
    """Source of the tuple of `obj`'s fields `names`, as dataclass writes it."""
    return f"({''.join(f'{obj}.{name},' for name in names)})"


def _init_source(
    cls: type, fields: tuple[dataclasses.Field[Any], ...], namespace: dict[str, Any]
) -> str:
    params: list[str] = []
    body: list[str] = []
    for f in fields:
        name = f.name
        if f.default is not MISSING:
            namespace[f"_default_{name}"] = f.default
            value = f"_default_{name}"
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            value = f"_factory_{name}()"
        else:
            value = ""
        if f.init:
            if f.default_factory is not MISSING:
                params.append(f"{name}=_MISSING")
                value = f"{value} if {name} is _MISSING else {name}"
            else:
                params.append(f"{name}={value}" if value else name)
                value = name
        if value:
            body.append(f"    _set(self, {name!r}, {value})\n")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()\n")
    return f"def __init__(self, {', '.join(params)}):\n" + ("".join(body) or "    pass\n")


def _set(cls: type, method: Callable[..., Any], name: str = "") -> None:
    method.__name__ = name = name or method.__name__
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, method)
