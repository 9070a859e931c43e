"""Sphinx inventories (`objects.inv` version 2) are read with the standard library."""

from __future__ import annotations

import zlib

import pytest

from nemo_docs_lint.inventory import InventoryError, parse_inventory

HEADER = (
    b"# Sphinx inventory version 2\n# Project: p\n# Version: 1\n"
    b"# The remainder of this file is compressed using zlib.\n"
)


def _inventory(body: str) -> bytes:
    return HEADER + zlib.compress(body.encode())


def test_objects_by_role_with_spaces_in_names_and_case_rules() -> None:
    inventory = parse_inventory(
        _inventory(
            "Install Guide std:label -1 install.html#$ Installing\n"
            "my term std:term -1 glossary.html#term-my-term -\n"
            "pkg.Thing py:class 1 api.html#$ -\n"
            "guide/page std:doc -1 guide/page.html Page\n"
        )
    )
    assert inventory.has("std:label", "install guide")  # labels match case-insensitively
    assert inventory.has("std:term", "My Term")
    assert inventory.has("py:class", "pkg.Thing")
    assert not inventory.has("py:class", "pkg.thing")  # objects do not
    assert inventory.has("std:doc", "guide/page")
    assert inventory.objects["py:class"] == frozenset({"pkg.Thing"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a Sphinx inventory"),
        (b"# Sphinx inventory version 1\n# Project: p\n# Version: 1\nx mod 1\n", "version 2"),
        (HEADER.replace(b"zlib", b"gzip") + b"x", "not zlib-compressed"),
        (HEADER + b"not zlib data", "unreadable"),
    ],
)
def test_anything_else_is_an_error(data: bytes, message: str) -> None:
    with pytest.raises(InventoryError, match=message):
        parse_inventory(data)
