"""Read the settings that matter to a linter from a Sphinx `conf.py` — statically, with `ast`.

conf.py is never executed: only assignments of literal values count. Anything computed (a call,
a name, an f-string) is skipped and recorded in `notes`, which `--verbose` prints.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .fileio import read_regular

# Settings we read; everything else in conf.py is ignored silently.
KNOWN_SETTINGS = frozenset(
    {
        "root_doc",
        "master_doc",
        "source_suffix",
        "exclude_patterns",
        "templates_path",
        "html_static_path",
        "html_extra_path",
        "myst_heading_anchors",
        "myst_enable_extensions",
        "suppress_warnings",
        "autodoc2_output_dir",
        "autoapi_root",
        "extensions",
        "intersphinx_mapping",
        "myst_url_schemes",
        "myst_ref_domains",
        "myst_all_links_external",
        "apidoc_modules",
        "myst_heading_slug_func",
    }
)
# What MyST treats as external URLs when `myst_url_schemes` is not set.
DEFAULT_URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})


@dataclass(frozen=True)
class SphinxConf:
    """The literal settings of one conf.py (or Sphinx's defaults when there is none)."""

    path: Path | None = None
    values: dict[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def root_doc(self) -> str:
        value = self.values.get("root_doc", self.values.get("master_doc", "index"))
        return value if isinstance(value, str) else "index"

    @property
    def source_suffixes(self) -> tuple[str, ...]:
        value = self.values.get("source_suffix")
        if isinstance(value, str):
            suffixes: list[str] = [value]
        elif isinstance(value, (list, tuple, dict)):
            suffixes = [s for s in value if isinstance(s, str)]
        else:
            suffixes = [".rst", ".md"]  # Sphinx's .rst plus the .md that myst_parser registers
        if ".md" not in suffixes:
            suffixes.append(".md")  # a MyST project always parses .md
        return tuple(suffixes)

    def string_list(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name, ())
        if isinstance(value, str):
            return (value,)
        if isinstance(value, (list, tuple)):
            return tuple(v for v in value if isinstance(v, str))
        return ()

    @property
    def heading_anchor_depth(self) -> int:
        value = self.values.get("myst_heading_anchors", 0)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    @property
    def generated_dirs(self) -> tuple[str, ...]:
        """Folders Sphinx extensions fill at build time (autodoc2, autoapi, sphinx.ext.apidoc).

        An extension loaded without its output setting writes to its default folder:
        autodoc2 to `apidocs`, sphinx-autoapi to `autoapi`; `sphinx.ext.apidoc` writes each
        `apidoc_modules` entry's `destination`.
        """
        found = []
        extensions = set(self.string_list("extensions"))
        for name, extension, default in (
            ("autodoc2_output_dir", "autodoc2", "apidocs"),
            ("autoapi_root", "autoapi.extension", "autoapi"),
        ):
            value = self.values.get(name)
            if isinstance(value, str) and value:
                found.append(value.strip("/"))
            elif name not in self.values and extension in extensions:
                found.append(default)
        modules = self.values.get("apidoc_modules")
        if "sphinx.ext.apidoc" in extensions and isinstance(modules, (list, tuple)):
            for entry in modules:
                where = entry.get("destination") if isinstance(entry, dict) else None
                if isinstance(where, str) and where.strip("/"):
                    found.append(where.strip("/"))
        return tuple(found)

    @property
    def heading_slugger(self) -> str:
        """`myst_heading_slug_func`: a MyST preset (`github`, the default; `gitlab`;
        `docutils`), also written as its import path `myst_parser.slugs.<preset>_slugify`.
        Any other function cannot be read statically: GitHub's slugs are assumed."""
        value = self.values.get("myst_heading_slug_func")
        if isinstance(value, str):
            name = value.removeprefix("myst_parser.slugs.").removesuffix("_slugify")
            if name in ("github", "gitlab", "docutils"):
                return name
        return "github"

    @property
    def myst_extensions(self) -> frozenset[str]:
        return frozenset(self.string_list("myst_enable_extensions"))

    @property
    def url_schemes(self) -> frozenset[str]:
        """URL schemes MyST renders as external links (`myst_url_schemes`, list or dict)."""
        value = self.values.get("myst_url_schemes")
        if isinstance(value, (list, tuple, dict, set)):
            return frozenset(s.lower() for s in value if isinstance(s, str))
        return DEFAULT_URL_SCHEMES

    @property
    def ref_domains(self) -> frozenset[str] | None:
        """Domains MyST's `[](target)` references search (`myst_ref_domains`; None: all)."""
        value = self.values.get("myst_ref_domains")
        if isinstance(value, (list, tuple)):
            return frozenset(s.split(":")[0] for s in value if isinstance(s, str))
        return None

    @property
    def all_links_external(self) -> bool:
        return self.values.get("myst_all_links_external") is True

    @property
    def intersphinx(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """`intersphinx_mapping`: key -> (base URI, inventory locations; `None` is the default).

        Locations are strings (a URL or a path relative to conf.py's folder); the default
        location, `URI/objects.inv`, is written as the empty string.
        """
        value = self.values.get("intersphinx_mapping")
        if not isinstance(value, dict):
            return {}
        found = {}
        for key, entry in value.items():
            if not isinstance(key, str) or not isinstance(entry, (list, tuple)) or not entry:
                continue
            uri, *rest = entry
            if not isinstance(uri, str):
                continue
            where = rest[0] if rest else None
            options = where if isinstance(where, (list, tuple)) else (where,)
            found[key] = (uri, tuple(o if isinstance(o, str) else "" for o in options))
        return found


def read_sphinx_conf(path: Path) -> SphinxConf:
    """Parse `path` with `ast` and collect literal assignments of the settings we know."""
    try:
        source = read_regular(path)
        tree = ast.parse(source, filename=str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        return SphinxConf(path=path, notes=(f"{path}: not read ({exc}); Sphinx defaults used",))
    except (MemoryError, RecursionError):  # the parser's limits on deeply nested code
        return SphinxConf(
            path=path,
            notes=(f"{path}: not read (nested too deeply to parse); Sphinx defaults used",),
        )
    values: dict[str, object] = {}
    notes: list[str] = []
    for node in _module_level_statements(tree.body):
        for name, value_node in _assignments(node):
            if name not in KNOWN_SETTINGS:
                continue
            try:
                values[name] = ast.literal_eval(value_node)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                notes.append(
                    f"{path.name}:{node.lineno}: `{name}` is computed, not a literal; ignored"
                )
    conf = SphinxConf(path=path, values=values, notes=tuple(notes))
    slug = values.get("myst_heading_slug_func")
    if slug is not None and conf.heading_slugger == "github" and "github" not in str(slug):
        notes.append(
            f"{path.name}: `myst_heading_slug_func` {slug!r} is no MyST preset; "
            "GitHub slugs assumed"
        )
        conf = SphinxConf(path=path, values=values, notes=tuple(notes))
    return conf


def _module_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements at module level, including those inside `if`/`try`/`with` blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _module_level_statements(node.body)
            yield from _module_level_statements(node.orelse)
        elif isinstance(node, ast.Try):
            yield from _module_level_statements(node.body)
            yield from _module_level_statements(node.orelse)
            yield from _module_level_statements(node.finalbody)
        elif isinstance(node, ast.With):
            yield from _module_level_statements(node.body)


def _assignments(node: ast.stmt) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        yield node.target.id, node.value


def suppressed_codes(conf: SphinxConf) -> dict[str, tuple[str, ...]]:
    """conf.py's suppressed Sphinx warning types that hide problems our rules report (each rule
    declares the warning types it mirrors: `@rule(sphinx_warnings=...)`)."""
    table = sphinx_warning_codes()
    return {name: table[name] for name in conf.string_list("suppress_warnings") if name in table}


def sphinx_warning_codes() -> dict[str, tuple[str, ...]]:
    """Sphinx warning type -> the codes of ours that report the same problem, from the registry."""
    from .registry import all_rules

    table: dict[str, list[str]] = {}
    for code, registered in all_rules().items():
        for name in registered.sphinx_warnings:
            table.setdefault(name, []).append(code)
    return {name: tuple(codes) for name, codes in table.items()}
