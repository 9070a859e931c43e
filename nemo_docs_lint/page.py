"""Old import path: `Page` lives in `model` with the other shared types."""

from .model import Page

__all__ = ["Page"]
