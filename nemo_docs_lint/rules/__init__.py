"""Built-in rules. Importing this package registers them all."""

from . import content, external, frontmatter, links, toctree, tool  # noqa: F401
