"""`model.slot_builder`: the fast constructor the hot paths use builds what the class builds."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from nemo_docs_lint.model import Diagnostic, Finding, Fix, Severity, Span, slot_builder


def test_built_objects_equal_constructed_ones_field_for_field() -> None:
    span = Span(3, 5, 3, 9)
    fix = Fix(span, "old", "new", False)
    values = ("LNK001", Severity.ERROR, "a/b.md", 3, 5, "broken", 3, 9, fix, "k/1")
    built, made = slot_builder(Diagnostic)(*values), Diagnostic(*values)
    assert type(built) is Diagnostic
    assert (built, hash(built), repr(built)) == (made, hash(made), repr(made))
    assert slot_builder(Span)(3, 5, 3, 9) == span
    finding = slot_builder(Finding)("a/b.md", span, "m", None, "")
    assert finding == Finding("a/b.md", span, "m")
    with pytest.raises(AttributeError):
        built.line = 4  # type: ignore[misc]  # still frozen


def test_a_class_that_is_no_plain_slotted_dataclass_is_refused() -> None:
    @dataclass(frozen=True)
    class Plain:
        value: int

    with pytest.raises(TypeError, match="Plain is not a plain slotted dataclass"):
        slot_builder(Plain)
