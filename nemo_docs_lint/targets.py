"""Named targets beyond files: labels, glossary terms, equations, Python objects, inventories.

Each look-up answers True (found), False (defined nowhere) or None (a reference into a named
intersphinx inventory that only the network has: not reported offline). Inventories are read
where conf.py names a local file. The rules are Sphinx's and MyST's:

- `{ref}` / `{numref}`: a label (case-insensitive); `key:label` in inventory `key`; an
  unprefixed label may also come from any inventory (`std:label`).
- `{term}`: a glossary term, case-insensitive.
- `{eq}`: an equation label.
- MyST's `[text](target)` / `[text](#target)` fallback (the "any" reference): a label, a
  document, then the objects of the domains in `myst_ref_domains` (all when unset) — a term
  only when written as its lower-cased form, a Python object by full name or dotted suffix, an
  equation — then every inventory.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .index import DocsIndex, join_docname, normalise_label
from .inventory import Inventory, InventoryError, parse_inventory
from .model import Page, Reference


class Targets:
    """Look-ups of named targets against one index and its conf.py's inventories."""

    def __init__(self, index: DocsIndex, fetched: dict[str, Inventory] | None = None) -> None:
        self.index = index
        self.fetched = fetched or {}  # inventories only the network has (`--external`)
        self.domains = index.conf.ref_domains
        self.attrs_inline = "attrs_inline" in index.conf.myst_extensions

    # -- roles ---------------------------------------------------------------------------------

    def label(self, target: str) -> bool | None:
        """A label by name (local first, then inventories; see the module docstring)."""
        if self.index.has_label(target):
            return True
        key, sep, rest = target.partition(":")
        if sep and key in self.inventories:
            return _known(self.inventories[key], "std:label", rest)
        return self._inventories_have("std:label", target)

    def term(self, target: str) -> bool | None:
        if normalise_label(target) in self.index.terms:
            return True
        key, sep, rest = target.partition(":")
        if sep and key in self.inventories:
            return _known(self.inventories[key], "std:term", rest)
        return self._inventories_have("std:term", target)

    def equation(self, target: str) -> bool:
        return normalise_label(target) in self.index.equations

    def any_role(self, page: Page, target: str) -> bool | None:
        """Sphinx's `{any}` role: every domain, whatever `myst_ref_domains` says."""
        return self._any(page, target, None)

    # -- MyST links ----------------------------------------------------------------------------

    def any_reference(self, page: Page, target: str) -> bool | None:
        """MyST's resolution of a link target that is no file (`[t](x)`, `[t](#x)`)."""
        return self._any(page, target, self.domains)

    def is_external_class(self, ref: Reference) -> bool:
        """`[text](target){.external}` with attrs_inline: MyST writes the target as a URL."""
        return self.attrs_inline and ref.link_type == "external"

    def inventory_link(self, target: str) -> bool | None:
        """`<inv:key:domain:role#name>` (each part optional or `*`), MyST's inventory link."""
        spec, _, name = target[len("inv:") :].partition("#")
        key, domain, role = ([*spec.split(":"), "", ""])[:3] if spec else ("", "", "")
        chosen = [inv for k, inv in self.inventories.items() if key in ("", "*", k)]
        unknown = False
        for inventory in chosen:
            if inventory is None:
                unknown = True
                continue
            for full_role in inventory.objects:
                d, _, r = full_role.partition(":")
                if domain not in ("", "*", d) or role not in ("", "*", r):
                    continue
                if inventory.has(full_role, name):
                    return True
        return None if unknown else False

    # -- the any resolution ----------------------------------------------------------------------

    def _any(self, page: Page, target: str, domains: frozenset[str] | None) -> bool | None:
        index = self.index
        if index.has_label(target) or join_docname(page.docname, target) in index.pages:
            return True
        if domains is None or "std" in domains:
            # the std domain stores terms as written and looks them up lower-cased
            lowered = target.lower()
            sites = index.terms.get(normalise_label(target), ())
            if any(site.label.name == lowered for site in sites):
                return True
        python = domains is None or "py" in domains
        if python and "/" not in target and " " not in target and self._python_object(target):
            return True
        if (domains is None or "math" in domains) and normalise_label(target) in index.equations:
            return True
        return self._inventories_any(target, domains)

    def _python_object(self, target: str) -> bool:
        """A declared object by full name, or by a dotted tail of it (the py domain's fuzzy
        search: `Cls` and `mod.Cls` find `pkg.mod.Cls`)."""
        if target in self.index.python_objects:
            return True
        tail = "." + target
        names = self._python_by_last_part.get(target.rpartition(".")[2], ())
        return any(name.endswith(tail) for name in names)

    @functools.cached_property
    def _python_by_last_part(self) -> dict[str, list[str]]:
        """Declared objects by the last part of their name."""
        table: dict[str, list[str]] = {}
        for name in self.index.python_objects:
            table.setdefault(name.rpartition(".")[2], []).append(name)
        return table

    # -- inventories ---------------------------------------------------------------------------

    @functools.cached_property
    def inventories(self) -> dict[str, Inventory | None]:
        """conf.py's `intersphinx_mapping`, read where a location is a local file.

        None stands for an inventory only the network has (offline, it is unknown).
        """
        conf = self.index.conf
        folder = conf.path.parent if conf.path else self.index.docs_root
        return {
            key: _load(folder, locations) or self.fetched.get(key)
            for key, (_, locations) in conf.intersphinx.items()
        }

    def _inventories_have(self, role: str, name: str) -> bool:
        """An unprefixed name in an inventory we can read (one only the network has is not
        consulted: such a reference is far more often a typo than another project's label)."""
        return any(inv is not None and inv.has(role, name) for inv in self.inventories.values())

    def _inventories_any(self, name: str, domains: frozenset[str] | None) -> bool:
        for inventory in self.inventories.values():
            if inventory is None:
                continue
            for role in inventory.objects:
                if domains is not None and role.partition(":")[0] not in domains:
                    continue
                if inventory.has(role, name):
                    return True
        return False


def _known(inventory: Inventory | None, role: str, name: str) -> bool | None:
    return None if inventory is None else inventory.has(role, name)


def _load(folder: Path, locations: tuple[str, ...]) -> Inventory | None:
    """The first local inventory file among the locations; None when only a URL would do."""
    for location in locations:
        if not location or "://" in location:
            continue
        try:
            return parse_inventory((folder / location).read_bytes())
        except (OSError, InventoryError):
            continue
    return None
