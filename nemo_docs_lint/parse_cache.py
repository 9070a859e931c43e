"""The on-disk parse cache: encoded parse results keyed by content digest, one file per docs tree.

Layout: `<cache_dir>/parse/<tree>.bin`, where `<tree>` hashes the docs root. The file is

a `cache_file.CacheFile` with the header (codec format key, version, anchor depth): the format
key is derived from the model classes the codec encodes. (`schema_cache` keeps the frontmatter
schema problems in `<cache_dir>/schema/<tree>.bin` the same way.)

Keys are `<content digest>:<md|rst>`. A file with a bad checksum, another format, tool version or
heading-anchor depth is ignored (and replaced at the end of the run); an entry that fails the
codec's validation is re-parsed. `marshal` only builds plain data (never runs code), the checksum
catches torn or corrupted files, and the codec checks every field's type before use.
"""

from __future__ import annotations

from pathlib import Path

from . import __version__
from .cache_file import CacheFile, tree_key
from .parse_codec import FORMAT_KEY

__all__ = ["CacheFile", "ParseCache", "tree_key"]


class ParseCache(CacheFile):
    """Parse results of one docs tree for one tool version and anchor depth."""

    def __init__(self, cache_dir: Path, docs_root: Path, heading_anchor_depth: int) -> None:
        path = Path(cache_dir) / "parse" / f"{tree_key(docs_root)}.bin"
        super().__init__(cache_dir, path, (FORMAT_KEY, __version__, heading_anchor_depth))
        self.depth = heading_anchor_depth
