"""Frontmatter schema problems, computed once per (schema, data): within a run and across runs.

Validation with `jsonschema` is the costliest check of a warm lint (~0.3-0.4 ms per page with
frontmatter). Its result depends only on the schema file, the frontmatter data, jsonschema and
this tool, so it is cached the way Ruff caches per-file results: entries keyed by
`<schema file digest>:<data digest>` in `<cache_dir>/schema/<tree>.bin` (the layout, checksum,
atomic writes and pruning of `cache_file.CacheFile`), in a file valid for one format, tool
version and jsonschema version. Editing the schema changes every key; upgrading either package
drops the whole file. Pages with identical frontmatter share one validation even without the
disk cache. Entries are plain tuples, checked field by field before use; a bad one is
revalidated and replaced. A `valid:<schema file digest>` entry records that the schema file
loaded, so that a warm run neither checks it again nor imports jsonschema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from .schema_subset import SubsetValidator

import functools
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from . import __version__
from .cache_file import CacheFile, format_key, tree_key
from .fileio import read_regular
from .schema import ProblemKind, SchemaProblem, load_validator, schema_problems

_SCALARS = frozenset((str, int, float, bool, type(None)))
_STR = frozenset((str,))
UNREADABLE = "unreadable"
_KINDS = {kind.value: kind for kind in ProblemKind}
FORMAT_KEY = format_key(SchemaProblem, ProblemKind)  # entries are SchemaProblem rows


class ProblemStore:
    """Schema problems by (schema, data) for one run, backed by the on-disk cache when given."""

    def __init__(self, cache_dir: Path | None = None, docs_root: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._docs_root = docs_root
        self._file: CacheFile | None = None
        self._memo: dict[str, list[SchemaProblem]] = {}
        self._validated = False  # whether any page's problems were asked for

    def problems(self, schema_path: Path, data: dict[str, Any]) -> list[SchemaProblem]:
        """What `schema.schema_problems` returns for `data` (shared, do not modify)."""
        self._validated = True
        key = _key(schema_path, data)
        if key is None:  # data marshal cannot hold (e.g. a `!!timestamp`): no caching
            return _validate(schema_path, data)
        found = self._memo.get(key)
        if found is not None:
            return found
        cache = self._cache()
        if cache is not None and (entry := cache.get(key)) is not None:
            found = decode(entry)
            if found is None:
                cache.reject(key)
        if found is None:
            found = _validate(schema_path, data)
            if cache is not None:
                cache.put(key, encode(found))
        self._memo[key] = found
        return found

    def check_schema(self, path: Path) -> None:
        """Raise SchemaLoadError unless the schema file loads. One this cache has seen load (the
        same bytes, tool and jsonschema versions) is not loaded again, so a warm run with nothing
        to validate never imports jsonschema (~50 ms)."""
        cache = self._cache()
        digest = schema_digest(path)
        marker = f"valid:{digest}"
        if cache is not None and digest != UNREADABLE and cache.get(marker) is True:
            return
        load_validator(path)
        if cache is not None:
            cache.put(marker, True)

    def save(self, partial: bool = False) -> None:
        """Write the cache file if this run used it and changed it (never raises).

        Entries of pages not seen are pruned, but only by a run that validated every page: one
        whose rules need no schema problems (`--select LNK`) or that re-checked some pages only
        (`partial`) keeps them all."""
        if self._file is not None:
            if partial or not self._validated:
                self._file.keep_unused()
            self._file.save()

    def _cache(self) -> CacheFile | None:
        if self._file is None and self._cache_dir is not None and self._docs_root is not None:
            path = Path(self._cache_dir) / "schema" / f"{tree_key(self._docs_root)}.bin"
            self._file = CacheFile(
                self._cache_dir, path, (FORMAT_KEY, __version__, _jsonschema_version())
            )
            self._file.load()
        return self._file


def _key(schema_path: Path, data: dict[str, Any]) -> str | None:
    try:
        dumped = marshal.dumps(data, 2)  # version 2: no back-references, so equal data, equal bytes
    except ValueError:
        return None
    return f"{schema_digest(schema_path)}:{hashlib.blake2b(dumped, digest_size=16).hexdigest()}"


def _validator(path: Path) -> Validator | SubsetValidator:
    """The schema's validator; a schema that does not load (although the cache said it did,
    or it changed during the run) is a config error, as when it is checked up front."""
    from .config import ConfigError
    from .schema import SchemaLoadError

    try:
        return load_validator(path)
    except SchemaLoadError as exc:
        raise ConfigError(str(exc)) from exc


def _validate(path: Path, data: dict[str, Any]) -> list[SchemaProblem]:
    """The schema's problems with `data`; a schema whose validation cannot end (a `$ref` loop
    the load-time check could not see) is a config error, not a traceback."""
    from .config import ConfigError

    try:
        return schema_problems(_validator(path), data)
    except RecursionError as exc:
        message = f"schema {path}: validation recurses without end (a `$ref` loop)"
        raise ConfigError(message) from exc
    except Exception as exc:
        from referencing.exceptions import Unresolvable  # loaded: only jsonschema raises it

        if isinstance(exc, Unresolvable):
            raise ConfigError(f"schema {path}: a `$ref` resolves to nothing ({exc})") from exc
        raise


@functools.lru_cache(maxsize=32)
def schema_digest(path: Path) -> str:
    """Digest of a schema file's bytes, cached per path like the validator built from it."""
    try:
        return hashlib.blake2b(read_regular(path), digest_size=16).hexdigest()
    except OSError:
        return UNREADABLE  # load_validator reports it as a config error


@functools.lru_cache(maxsize=1)
def _jsonschema_version() -> str:
    """The installed jsonschema's version: its dist-info folder's name, else package metadata."""
    from importlib.util import find_spec

    spec = find_spec("jsonschema")  # where it is installed, without importing it (~50 ms)
    origin = spec.origin if spec is not None else None
    folder = os.path.dirname(os.path.dirname(origin or ""))
    try:
        names = [
            name
            for name in os.listdir(folder)
            if name.startswith("jsonschema-") and name.endswith(".dist-info")
        ]
    except OSError:
        names = []
    if len(names) == 1:  # the usual site-packages layout: cheaper than importlib.metadata
        return names[0].removeprefix("jsonschema-").removesuffix(".dist-info")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jsonschema")
    except PackageNotFoundError:
        return "unknown"


def encode(problems: list[SchemaProblem]) -> tuple[Any, ...]:
    return tuple((p.kind.value, p.path, p.message, p.at, p.suggestion or "") for p in problems)


def decode(entry: object) -> list[SchemaProblem] | None:
    """The problems of a cache entry, or None when it does not have exactly the right shape."""
    if type(entry) is not tuple:
        return None
    problems = []
    for row in entry:
        if type(row) is not tuple or len(row) != 5:
            return None
        kind, path, message, at, suggestion = row
        if not {type(kind), type(message), type(at), type(suggestion)} <= _STR:
            return None
        if type(path) is not tuple or not set(map(type, path)) <= _SCALARS or kind not in _KINDS:
            return None
        problems.append(SchemaProblem(_KINDS[kind], path, message, at, suggestion or None))
    return problems
