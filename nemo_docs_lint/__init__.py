"""nemo-docs-lint: a linter for Sphinx + MyST documentation trees."""

__version__ = "0.1.0"
