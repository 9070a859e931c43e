"""Configuration: find it, validate it, and resolve it against the docs tree.

Settings come from `[tool.nemo-docs-lint]` in `pyproject.toml` or the top level of
`.nemo-docs-lint.toml`, found upward from the docs root (or given with `--config`); CLI flags
override them. An unknown key or a bad value is a `ConfigError` (exit code 2) with a did-you-mean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .external import ExternalSettings

import functools
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from .fileio import read_regular_text
from .globs import GlobError, check_patterns, first_match
from .model import Severity
from .schema import default_schema_path
from .sphinx_conf import SphinxConf

CONFIG_FILENAMES = (".nemo-docs-lint.toml", "pyproject.toml")
CACHE_DIRNAME = ".nemo-docs-lint-cache"


class ConfigError(Exception):
    """A configuration the user must fix; reported without a traceback, exit code 2."""


@dataclass(frozen=True)
class Config:
    """Every setting of a run, resolved to absolute paths."""

    docs_root: Path
    project_root: Path  # the repository root, else the config file's folder, else the docs root
    repo_root: Path | None = None  # the nearest folder with `.git`, when there is one
    conf: SphinxConf = field(default_factory=SphinxConf)
    config_path: Path | None = None
    schema: Path | None = None  # None: the shipped default
    schemas: tuple[tuple[str, Path | None], ...] = ()
    select: tuple[str, ...] | None = None  # None: every rule except network rules
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    respect_suppress_warnings: bool = False
    generated: tuple[str, ...] = ()
    external: dict[str, Any] = field(default_factory=dict)
    cache_dir: Path | None = None
    use_cache: bool = True
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # said on every run (stderr): e.g. no conf.py was found
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # [rules.CODE] tables

    def schema_for(self, relpath: str) -> Path | None:
        """The schema that applies to a page, or None where frontmatter rules are off."""
        return _schema_for(self.schemas, self.schema, relpath)

    def external_settings(self) -> ExternalSettings:
        """The external-link checker's settings (validated; raises ConfigError)."""
        from .external import ExternalSettings, ExternalSettingsError

        base = self.config_path.parent if self.config_path else self.docs_root
        try:
            settings = ExternalSettings.from_mapping(self.external, base)
        except ExternalSettingsError as exc:
            raise ConfigError(f"[tool.nemo-docs-lint.external]: {exc}") from exc
        cache = (self.cache_dir / "external") if (self.use_cache and self.cache_dir) else None
        return replace(settings, cache_dir=cache, use_cache=self.use_cache)

    def with_overrides(self, **changes: object) -> Config:
        kept: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **kept)


@functools.lru_cache(maxsize=65536)
def _schema_for(
    schemas: tuple[tuple[str, Path | None], ...], schema: Path | None, relpath: str
) -> Path | None:
    """The first matching `schemas` glob's schema, else the project's, else the default."""
    pattern = first_match(relpath, [glob for glob, _ in schemas])
    if pattern is not None:
        return dict(schemas)[pattern]
    return schema or default_schema_path()


def find_config_file(start: Path) -> Path | None:
    """The nearest `.nemo-docs-lint.toml`, or `pyproject.toml` with our table, upward from start."""
    for folder in (start, *start.parents):
        dotfile = folder / CONFIG_FILENAMES[0]
        if dotfile.is_file():
            return dotfile
        pyproject = folder / CONFIG_FILENAMES[1]
        if (
            pyproject.is_file()
            and "nemo-docs-lint" in _read_text(pyproject)
            and _table(pyproject) is not None
        ):
            return pyproject
    return None


def find_project_root(start: Path) -> Path | None:
    """The repository root: the nearest ancestor holding `.git`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _read_text(path: Path) -> str:
    try:
        return read_regular_text(path, encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read {path}: not valid UTF-8 ({exc.reason})") from exc


def _table(path: Path) -> dict[str, Any] | None:
    """Our settings table: `[tool.nemo-docs-lint]` of a pyproject.toml, or of any file that has
    one (`--config custom.toml`), else the file's top level."""
    if sys.version_info >= (3, 11):  # imported here: a tree without a config file reads no TOML
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_shown(path)}: invalid TOML: {exc}") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{_shown(path)}: invalid TOML: nested too deeply") from exc
    tool = data.get("tool")
    if path.name == "pyproject.toml" or (isinstance(tool, dict) and "nemo-docs-lint" in tool):
        if tool is not None and not isinstance(tool, dict):
            raise ConfigError(f"{_shown(path)}: `tool` must be a table, not {_toml_type(tool)}")
        table = tool.get("nemo-docs-lint") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(
                f"{_shown(path)}: `tool.nemo-docs-lint` must be a table, not {_toml_type(table)}"
            )
        return table
    found: dict[str, Any] = data
    return found


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


def _shown(path: Path) -> str:
    """A file as the user would name it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_settings(path: Path) -> dict[str, Any]:
    """The raw, validated settings table of a config file."""
    table = _table(path)
    if table is None:
        raise ConfigError(f"{_shown(path)} has no [tool.nemo-docs-lint] table")
    validate_settings(table, _shown(path))
    return table


def validate_settings(
    table: dict[str, Any], origin: str, schema: dict[str, Any] | None = None
) -> None:
    """Raise one ConfigError listing every problem of the table (one line each), naming the
    file, the key and the allowed values; `schema` defaults to the whole configuration's."""
    from .config_schema import config_schema, problems

    found = problems(table, schema or config_schema())
    if not found:
        return
    lines = [f"{origin}: {message}" for message in found]
    if len(lines) > 1:
        where = "[tool.nemo-docs-lint]" if origin.endswith("pyproject.toml") else "settings"
        lines.insert(0, f"{origin}: {len(lines)} problems in {where}")
    raise ConfigError("\n".join(lines))


def _check_globs(settings: dict[str, Any], conf: SphinxConf, config_path: Path | None) -> None:
    """Every glob of the config and of conf.py compiles; a bad one is a ConfigError naming
    its file and setting."""
    origin = str(config_path or "settings")
    try:
        check_patterns(settings.get("exclude", ()), f"{origin}: `exclude`")
        check_patterns(settings.get("per-file-ignores", {}), f"{origin}: `per-file-ignores`")
        check_patterns(settings.get("schemas", {}), f"{origin}: `schemas`")
        check_patterns(
            conf.string_list("exclude_patterns"), f"{conf.path}: `exclude_patterns`", sphinx=True
        )
    except GlobError as exc:
        raise ConfigError(str(exc)) from exc


def build_config(
    docs_root: Path,
    conf: SphinxConf,
    settings: dict[str, Any],
    config_path: Path | None,
) -> Config:
    """Resolve a validated settings table into a Config for `docs_root`."""
    _check_globs(settings, conf, config_path)
    base = config_path.parent if config_path else docs_root
    repo_root = find_project_root(docs_root)
    project_root = repo_root or (config_path.parent if config_path else docs_root)

    def resolve(value: str) -> Path:
        return (base / value).resolve()

    schemas = tuple(
        (glob, None if target is False else resolve(target))
        for glob, target in settings.get("schemas", {}).items()
    )
    severity = {code: Severity(level) for code, level in settings.get("severity", {}).items()}
    select = settings.get("select")
    cache_dir = settings.get("cache-dir")
    return Config(
        docs_root=docs_root,
        project_root=project_root,
        repo_root=repo_root,
        conf=conf,
        config_path=config_path,
        schema=resolve(settings["schema"]) if "schema" in settings else None,
        schemas=schemas,
        select=tuple(select) if select is not None else None,
        extend_select=tuple(settings.get("extend-select", ())),
        ignore=tuple(settings.get("ignore", ())),
        per_file_ignores=tuple(
            (glob, tuple(codes)) for glob, codes in settings.get("per-file-ignores", {}).items()
        ),
        exclude=tuple(settings.get("exclude", ())),
        severity=severity,
        fail_on=Severity(settings.get("fail-on", "error")),
        respect_suppress_warnings=bool(settings.get("respect-suppress-warnings", False)),
        generated=tuple(g.strip("/") for g in settings.get("generated", ())),
        external=dict(settings.get("external", {})),
        cache_dir=resolve(cache_dir) if cache_dir else project_root / CACHE_DIRNAME,
        rule_options={key: dict(value) for key, value in settings.get("rules", {}).items()},
    )
