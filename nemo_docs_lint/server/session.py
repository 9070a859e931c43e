"""The server's state: the docs trees of the workspace, each an incremental linter.

Trees are found as the CLI finds them: every folder holding a Sphinx `conf.py` under a workspace
folder (not inside another tree), else the `root` of the folder's config file, else the folder
itself. Texts of open documents overlay the disk. A configuration that does not load is kept as
an error on its file (and the tree keeps its last good configuration, if it had one).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_FILENAMES, ConfigError, find_config_file
from ..engine import LintRequest, resolve_config
from ..incremental import IncrementalLinter
from ..model import Diagnostic, Page, Unreadable
from ..source import read_source

_SKIP = {"node_modules", "_build", "site-packages", "__pycache__", "build", "dist"}
_CONFIG_NAMES = {*CONFIG_FILENAMES, "conf.py"}


@dataclass
class Tree:
    """One docs tree of the workspace."""

    root: Path
    linter: IncrementalLinter | None = None
    config_error: tuple[Path, str] | None = None  # (file, message)
    watched: set[Path] = field(default_factory=set)  # config and schema files

    def relpath(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None


@dataclass
class Changed:
    """Paths (absolute) whose diagnostics must be published again, per tree."""

    paths: set[Path] = field(default_factory=set)
    config_files: set[Path] = field(default_factory=set)


def find_roots(folder: Path) -> list[Path]:
    """The docs roots under a workspace folder."""
    roots: list[Path] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP)
        if "conf.py" in files:
            roots.append(Path(current))
            dirs[:] = []
    if roots:
        return roots
    try:
        return [resolve_config(LintRequest(), cwd=folder).docs_root]
    except ConfigError:
        return [folder]


class Session:
    """Every docs tree of the workspace, and the texts the editor holds open."""

    def __init__(self) -> None:
        self.trees: list[Tree] = []
        self.open_texts: dict[Path, str] = {}

    def add_folder(self, folder: Path, progress: Callable[[str], None] | None = None) -> None:
        for root in find_roots(folder.resolve()):
            if any(t.root == root for t in self.trees):
                continue
            tree = Tree(root)
            self.trees.append(tree)
            if progress is not None:
                progress(str(root))
            self.load(tree)
        self.trees.sort(key=lambda t: len(t.root.parts), reverse=True)  # innermost first

    def remove_folder(self, folder: Path) -> set[Path]:
        """Forget the trees under a workspace folder; returns the paths that had diagnostics."""
        folder = folder.resolve()
        gone = [t for t in self.trees if t.root == folder or folder in t.root.parents]
        paths: set[Path] = set()
        for tree in gone:
            paths |= set(self._snapshot(tree))
            if tree.config_error is not None:
                paths.add(tree.config_error[0])
            self.trees.remove(tree)
        return paths

    def load(self, tree: Tree) -> None:
        """(Re)build a tree from its configuration; a broken one becomes `config_error`."""
        try:
            linter = IncrementalLinter.open(tree.root, workers=False)  # we have threads
        except ConfigError as exc:
            tree.config_error = (self._config_file(tree.root, str(exc)), str(exc))
            return
        except Exception as exc:  # never a dead server for a user's files
            tree.config_error = (tree.root / "conf.py", f"cannot index the docs tree: {exc}")
            return
        tree.config_error = None
        tree.linter = linter
        overlays = {}
        for path, text in self.open_texts.items():
            rel = tree.relpath(path)
            if rel is not None:
                overlays[rel] = text
        if overlays:
            linter.update(overlays)
        config = linter.config
        tree.watched = {p for p in (config.config_path, config.schema) if p is not None}
        tree.watched |= {p for _, p in config.schemas if p is not None}

    @staticmethod
    def _config_file(root: Path, message: str) -> Path:
        for candidate in (find_config_file(root), root / "conf.py"):
            if candidate is not None and str(candidate) in message:
                return candidate
        found = find_config_file(root)
        return found if found is not None else root / "conf.py"

    # -- look-ups ----------------------------------------------------------------------------

    def tree_of(self, path: Path) -> Tree | None:
        for tree in self.trees:  # innermost first
            if tree.relpath(path) is not None:
                return tree
        return None

    def page_of(self, path: Path) -> tuple[Tree, Page] | None:
        tree = self.tree_of(path)
        if tree is None or tree.linter is None:
            return None
        rel = tree.relpath(path)
        docname = tree.linter.docname_of(rel or "")
        page = tree.linter.index.pages.get(docname or "")
        if page is None or page.path != rel:
            return None
        return tree, page

    def diagnostics(self) -> Iterator[tuple[Path, list[Diagnostic]]]:
        """Every tree's diagnostics by absolute path."""
        for tree in self.trees:
            if tree.linter is not None:
                for rel, items in tree.linter.diagnostics.items():
                    yield tree.root / rel, items

    # -- changes -----------------------------------------------------------------------------

    def set_text(self, path: Path, text: str | None, settle: bool = True) -> set[Path]:
        """An editor buffer opened or changed (text), or closed (None: back to the disk).

        `settle=False`: the tree rules wait for `settle()` (see `IncrementalLinter.update`)."""
        if text is None:
            self.open_texts.pop(path, None)
            decoded = read_source(path)
            text = None if isinstance(decoded, Unreadable) else decoded.text
        else:
            self.open_texts[path] = text
        return self._update(path, text, settle)

    def settle(self) -> set[Path]:
        """Run the tree rules that deferred updates left pending."""
        touched: set[Path] = set()
        for tree in self.trees:
            if tree.linter is not None and tree.linter.tree_pending:
                touched |= {tree.root / p for p in tree.linter.settle()}
        return touched

    def file_event(self, path: Path, deleted: bool) -> set[Path]:
        """A file created, changed or deleted on disk (not one the editor holds open)."""
        if path.name in _CONFIG_NAMES or any(path in t.watched for t in self.trees):
            return self.reload(path)
        if path in self.open_texts:
            return set()
        if deleted:
            return self._update(path, None)
        decoded = read_source(path)
        if isinstance(decoded, Unreadable):
            tree = self.tree_of(path)
            return self.reload(path) if tree is not None else set()
        return self._update(path, decoded.text)

    def reload(self, changed: Path) -> set[Path]:
        """Reload the trees a configuration, conf.py or schema file belongs to."""
        touched: set[Path] = set()
        for tree in self.trees:
            if changed not in tree.watched and tree.relpath(changed) is None:
                config_dir = changed.parent
                if tree.relpath(config_dir) is None and config_dir not in tree.root.parents:
                    continue
            before = self._snapshot(tree)
            old_error = tree.config_error
            self.load(tree)
            after = self._snapshot(tree)
            touched |= {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
            for error in (old_error, tree.config_error):
                if error is not None:
                    touched.add(error[0])
        return touched

    def _snapshot(self, tree: Tree) -> dict[Path, list[Diagnostic]]:
        if tree.linter is None:
            return {}
        return {tree.root / rel: items for rel, items in tree.linter.diagnostics.items()}

    def _update(self, path: Path, text: str | None, settle: bool = True) -> set[Path]:
        tree = self.tree_of(path)
        if tree is None or tree.linter is None:
            return set()
        rel = tree.relpath(path)
        assert rel is not None
        return {tree.root / p for p in tree.linter.update({rel: text}, settle)}

    def config_errors(self) -> Iterator[tuple[Path, str]]:
        for tree in self.trees:
            if tree.config_error is not None:
                yield tree.config_error
