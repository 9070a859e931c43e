"""Sphinx inventories (`objects.inv`): what another project's docs define, for intersphinx.

Version 2 files: four `#` header lines, then a zlib-compressed body with one object per line,
`name domain:role priority uri display-name` (a name may hold spaces), as Sphinx writes them.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

_HEADER = b"# Sphinx inventory version 2"
_LINE = re.compile(r"(.+?)\s+(\S+):(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")


class InventoryError(ValueError):
    """The bytes are no Sphinx version 2 inventory."""


@dataclass(frozen=True)
class Inventory:
    """Object names by `domain:role` (e.g. `std:label`, `std:doc`, `py:class`)."""

    objects: dict[str, frozenset[str]]

    def has(self, role: str, name: str) -> bool:
        names = self.objects.get(role, frozenset())
        if role in ("std:label", "std:term"):
            return name.lower() in names  # stored lower-cased: Sphinx matches these so
        return name in names


def parse_inventory(data: bytes) -> Inventory:
    """Read an `objects.inv` (version 2); InventoryError when it is anything else."""
    lines = data.split(b"\n", 4)
    if len(lines) < 5 or lines[0].rstrip() != _HEADER:
        raise InventoryError("not a Sphinx inventory (version 2)")
    if b"zlib" not in lines[3]:
        raise InventoryError("inventory body is not zlib-compressed")
    try:
        body = zlib.decompress(lines[4]).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise InventoryError(f"inventory body unreadable ({exc})") from None
    table: dict[str, set[str]] = {}
    for line in body.splitlines():
        match = _LINE.match(line.rstrip())
        if match is None:
            continue
        name, domain, role = match[1], match[2], match[3]
        key = f"{domain}:{role}"
        table.setdefault(key, set()).add(name.lower() if key in ("std:label", "std:term") else name)
    return Inventory({role: frozenset(names) for role, names in table.items()})
