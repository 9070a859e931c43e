"""Discover stage: find the docs root, read its conf.py, and list its documents as Sphinx would."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .globs import GlobSet, compile_pattern
from .model import SourceFile, slot_builder
from .sphinx_conf import SphinxConf, read_sphinx_conf

# Paths Sphinx itself never treats as sources (sphinx.project.EXCLUDE_PATHS), plus tool folders.
ALWAYS_EXCLUDED = ("**/_sources", ".#*", "**/.#*", "*.lproj/**", "node_modules", "**/node_modules")


@dataclass(frozen=True)
class Discovery:
    """The documents of a tree and the files Sphinx would ignore because another wins."""

    documents: tuple[SourceFile, ...]
    duplicate_sources: tuple[tuple[str, str], ...] = ()  # (ignored path, kept path)
    loops: tuple[str, ...] = field(default=())  # folders skipped because a symlink loops back
    files: tuple[str, ...] = ()  # every file walked (documents or not), for did-you-mean
    outside: tuple[tuple[str, str], ...] = ()  # (folder symlink, real target) not walked
    folders: tuple[str, ...] = ()  # every folder the walk reached, listed or not ("": the root)


Listing = tuple[tuple[str, ...], str]  # a folder's names (sorted, not excluded) and their kinds
# Kinds: a file, a folder (real, not hidden), a symlink (what it leads to is asked every walk).
FILE, FOLDER, LINK = "f", "d", "l"
KINDS = FILE + FOLDER + LINK


class Listings(Protocol):
    """Where a walk keeps folder listings between runs (the tree snapshot,
    `parse_cache.ParseCache`): a listing is trusted while the folder's stat is the one it was
    made with (a folder whose entries change gets a new mtime), under git's racy rule."""

    def listing(self, rel_dir: str, info: os.stat_result) -> Listing | None:
        """The listing of a folder stat says is unchanged since it was made; None: list it."""

    def remember(
        self, rel_dir: str, info: os.stat_result, listed_ns: int, listing: Listing
    ) -> None:
        """Keep the listing just made of a folder (`info`: its stat taken before listing)."""


class DocsRootError(ValueError):
    """File arguments that belong to more than one docs tree."""


@dataclass(frozen=True)
class DocsRoot:
    """The docs tree that PATHS belong to, and a warning when no conf.py says where it is."""

    path: Path
    warning: str | None = None


def find_docs_root(
    paths: Sequence[Path], configured: Path | None = None, cwd: Path | None = None
) -> DocsRoot:
    """The root of the tree that files and folders belong to, the same way for both.

    The nearest ancestor (or the folder itself) with a conf.py; else the configured `root` when
    the paths lie in it or it lies below them; else `docs/` or `doc/` with a conf.py below the
    folder named (a repository root); else the paths' common folder, with a warning. Paths outside
    every docs tree (a repository's top-level README.md passed by pre-commit) do not move the
    root; paths of two different trees are an error.
    """
    resolved = [p.absolute() for p in paths]
    folders = [_folder_of(p) for p in resolved]
    found = (_conf_ancestor(folder) for folder in folders)
    roots = {root for root in found if root is not None}
    if len(roots) > 1:
        names = ", ".join(sorted(str(r) for r in roots))
        raise DocsRootError(f"the paths belong to different docs trees ({names}); lint each one")
    if roots:
        return DocsRoot(roots.pop())
    common = Path(os.path.commonpath([str(f) for f in folders]))
    real = common.resolve()
    if configured is not None and (_inside(real, configured) or _inside(configured, real)):
        if (configured / "conf.py").is_file():
            return DocsRoot(configured)
        return DocsRoot(configured, _no_conf(configured, cwd))
    for name in ("docs", "doc"):  # a repository root (or an unpacked copy without .git)
        if (common / name / "conf.py").is_file():
            return DocsRoot(common / name)
    return DocsRoot(common, _no_conf(common, cwd))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _no_conf(folder: Path, cwd: Path | None) -> str:
    try:
        shown = folder.relative_to((cwd or Path.cwd()).absolute()).as_posix() or "."
    except ValueError:
        shown = str(folder)
    return (
        f"no conf.py in {shown} or above it (nor in docs/ or doc/ below it); "
        f"linting {shown} as a docs tree with Sphinx's defaults"
    )


def _folder_of(path: Path) -> Path:
    """The path if it is a folder, else the nearest ancestor that is one (a file's folder may
    be unreachable: a symlink loop or a folder without permissions on the way)."""
    while not path.is_dir() and path.parent != path:
        path = path.parent
    return path


def _conf_ancestor(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / "conf.py").is_file():
            return candidate
    return None


def load_sphinx_conf(docs_root: Path) -> SphinxConf:
    conf_path = docs_root / "conf.py"
    return read_sphinx_conf(conf_path) if conf_path.is_file() else SphinxConf()


def exclusion_patterns(conf: SphinxConf) -> tuple[str, ...]:
    """conf.py's exclude_patterns plus the template/static/extra paths (Sphinx's own list)."""
    patterns = list(ALWAYS_EXCLUDED)
    patterns += conf.string_list("exclude_patterns")
    for setting in ("templates_path", "html_static_path", "html_extra_path"):
        patterns += [p.strip("/") for p in conf.string_list(setting)]
    return tuple(patterns)


def exclusion_regex(conf: SphinxConf, extra: Iterable[str] = ()) -> GlobSet:
    """Every exclusion in one matcher: conf.py's with Sphinx's exact glob semantics, ours with
    `**/` matching no folder too (as in the other settings of our config)."""
    globs = [compile_pattern(p, sphinx=True) for p in exclusion_patterns(conf)]
    globs += [compile_pattern(p) for p in extra]
    return GlobSet(globs)


def discover(
    docs_root: Path,
    conf: SphinxConf,
    exclude: Iterable[str] = (),
    bound: Path | None = None,
    listings: Listings | None = None,
    trust: bool = True,
) -> Discovery:
    """List source documents under docs_root, honouring Sphinx's suffixes and exclusions.

    Folder symlinks are followed only while they stay inside `bound` (the repository; by
    default the docs root): one to `/` would walk the whole file system. With `listings`,
    folders stat shows unchanged are not listed again (`trust=False`: every folder is listed,
    and the listings kept for the next run).
    """
    suffixes = tuple(conf.source_suffixes)
    excluded = exclusion_regex(conf, exclude)
    by_docname: dict[str, SourceFile] = {}
    duplicates: list[tuple[str, str]] = []
    loops: list[str] = []
    outside: list[tuple[str, str]] = []
    files: list[str] = []
    folders: list[str] = []
    limit = os.path.realpath(bound or docs_root)
    walked = _walk(str(docs_root), excluded, (loops, folders), (limit, outside), (listings, trust))
    # Suffixes of one dot (`.md`, `.rst`): a path's suffix is its last dot's, if listed.
    simple = frozenset(suffixes) if all(s.rfind(".") == 0 for s in suffixes) else None
    for relpath, absolute in walked + _unsaved(docs_root, excluded):
        files.append(relpath)
        if simple is not None:
            suffix = relpath[relpath.rfind(".") :]
            if suffix not in simple:
                continue
        elif relpath.endswith(suffixes):
            suffix = next(s for s in suffixes if relpath.endswith(s))
        else:
            continue
        docname = relpath[: -len(suffix)]
        source = _source_file(relpath, docname, absolute)
        other = by_docname.get(docname)
        if other is None:
            by_docname[docname] = source
            continue
        kept, ignored = (source, other) if relpath.endswith(".md") else (other, source)
        by_docname[docname] = kept
        duplicates.append((ignored.path, kept.path))
    documents = tuple(sorted(by_docname.values(), key=_path_of))
    return Discovery(
        documents,
        tuple(sorted(duplicates)),
        tuple(loops),
        tuple(sorted(files)),
        tuple(sorted(outside)),
        tuple(folders),
    )


def _unsaved(docs_root: Path, excluded: GlobSet) -> list[tuple[str, str]]:
    """Files that exist only in memory (`--stdin-filename` naming a new page of the tree)."""
    from .source import overlaid

    found = []
    for absolute in overlaid():
        path = Path(absolute)
        if not path.exists() and path.is_relative_to(docs_root):
            relpath = path.relative_to(docs_root).as_posix()
            if not excluded.match(relpath):
                found.append((relpath, absolute))
    return found


_source_file = slot_builder(SourceFile)  # 10,000 of them on every run


def _path_of(source: SourceFile) -> str:
    return source.path


def _name_of(entry: os.DirEntry[str]) -> str:
    return entry.name


def _walk(
    root: str,
    excluded: GlobSet,
    reached: tuple[list[str], list[str]],
    bounds: tuple[str, list[tuple[str, str]]],
    kept: tuple[Listings | None, bool] = (None, True),
) -> list[tuple[str, str]]:
    """(relative posix path, absolute path) of every file, following folder symlinks.

    As Sphinx, a folder reached through two symlinks is walked twice; a symlink back to one of
    its own ancestors (a loop Sphinx would follow until the path is too long) is skipped and
    recorded in `reached[0]`; one whose target lies outside `bounds[0]` is skipped and recorded
    in `bounds[1]`. Every folder reached (listed, skipped as a loop or as outside, or
    unreadable) is recorded in `reached[1]`. `kept`: the listings of earlier runs and whether
    to trust them.

    Plain strings throughout: Path objects for 12,000 files cost ~25 ms and Path.stat twice
    what os.stat does; one list instead of a generator.
    """
    found: list[tuple[str, str]] = []
    match = excluded.match
    limit, outside = bounds
    listings, trust = kept
    loops, folders = reached
    inside = limit.rstrip(os.sep) + os.sep
    stack: list[tuple[str, str, frozenset[tuple[int, int]]]] = [("", root, frozenset())]
    while stack:
        rel_dir, folder, ancestors = stack.pop()
        folders.append(rel_dir)
        prefix = f"{rel_dir}/" if rel_dir else ""
        try:
            listed_ns = time.time_ns()
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                loops.append(rel_dir)
                continue
            ancestors = ancestors | {key}
            listed = None
            if listings is not None and trust:
                listed = listings.listing(rel_dir, info)
            if listed is None:
                listed = _list(folder, prefix, match)
                if listings is not None:
                    listings.remember(rel_dir, info, listed_ns, listed)
        except OSError:
            continue
        base = folder if folder.endswith(os.sep) else folder + os.sep  # as DirEntry.path
        names, kinds = listed
        for name, kind in zip(names, kinds, strict=True):
            rel = prefix + name
            path = base + name
            if kind == FILE:
                found.append((rel, path))
            elif kind == FOLDER:
                stack.append((rel, path, ancestors))
            elif not _is_dir(path):  # a symlink to a file, or broken
                found.append((rel, path))
            elif not name.startswith("."):
                real = os.path.realpath(path)
                if real != limit and not real.startswith(inside):
                    outside.append((rel, real))
                    folders.append(rel)  # reached, not walked
                    continue
                stack.append((rel, path, ancestors))
    return found


def _list(folder: str, prefix: str, match: Callable[[str], bool]) -> Listing:
    """A folder's entries by name, without the excluded ones (parents were checked on the way
    down) and hidden folders, each with its kind."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=_name_of)
    names: list[str] = []
    kinds: list[str] = []
    for entry in entries:
        name = entry.name
        if match(prefix + name):
            continue
        try:
            link = entry.is_symlink()
        except OSError:
            link = True  # asked again through the path, every walk
        if link:
            kind = LINK
        else:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir and name.startswith("."):
                continue
            kind = FOLDER if is_dir else FILE
        names.append(name)
        kinds.append(kind)
    return tuple(names), "".join(kinds)


def _is_dir(path: str) -> bool:
    """Whether the path leads to a folder (following symlinks), as `DirEntry.is_dir`."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False
