"""Built-in rules. Importing this package registers them all."""

from . import frontmatter, tool  # noqa: F401
