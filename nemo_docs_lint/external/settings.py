"""Settings of the external-link checker, read from `[tool.nemo-docs-lint.external]`."""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nemo_docs_lint import __version__

DEFAULT_USER_AGENT = (
    f"nemo-docs-lint/{__version__} (+https://github.com/nemo-docs-lint/nemo-docs-lint)"
)


class ExternalSettingsError(ValueError):
    """An invalid value or unknown key in the external-link settings."""


@dataclass(frozen=True)
class ExternalSettings:
    """How external links are checked. Defaults suit a CI run over a few thousand URLs.

    `headers` maps a host pattern to extra request headers: a glob matched against the host name
    (`*.github.com`), or a regular expression when the pattern starts with `^`. Every matching
    pattern contributes, later ones overriding earlier ones. `cache_dir=None` disables the disk
    cache; the caller passes `<project root>/.nemo-docs-lint-cache/external`.
    """

    concurrency: int = 64
    per_host: int = 8
    min_interval: float = 0.0
    timeout: float = 20.0
    deadline: float = 600.0
    retries: int = 2
    retry_after_cap: float = 60.0
    backoff_base: float = 0.5
    exclude: tuple[str, ...] = ()
    false_positives: str | None = None
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    user_agent: str = DEFAULT_USER_AGENT
    accept: tuple[int, ...] = ()
    check_anchors: bool = False
    cache_dir: Path | None = None
    cache_ttl: float = 86400.0
    use_cache: bool = True

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base_dir: Path) -> ExternalSettings:
        """Build settings from a TOML table (kebab-case keys); paths are relative to `base_dir`."""
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            spec = _KEYS.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, _KEYS, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                raise ExternalSettingsError(f"unknown key `{key}` in external settings{hint}")
            name, convert = spec
            try:
                kwargs[name] = convert(value, base_dir)
            except (TypeError, ValueError, re.error) as exc:
                raise ExternalSettingsError(f"external setting `{key}`: {exc}") from None
        return cls(**kwargs)


def _positive_int(value: Any, _base: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a positive integer, got {value!r}")
    return value


def _non_negative_int(value: Any, _base: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected an integer >= 0, got {value!r}")
    return value


def _non_negative_float(value: Any, _base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"expected a number >= 0, got {value!r}")
    return float(value)


def _positive_float(value: Any, base: Path) -> float:
    number = _non_negative_float(value, base)
    if number == 0:
        raise ValueError("expected a number > 0, got 0")
    return number


def _boolean(value: Any, _base: Path) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _string(value: Any, _base: Path) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a non-empty string, got {value!r}")
    return value


def _path_string(value: Any, base: Path) -> str:
    return str(base / _string(value, base))


def _path(value: Any, base: Path) -> Path:
    return base / _string(value, base)


def _regexes(value: Any, _base: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of regular expressions")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
    return tuple(value)


def _status_codes(value: Any, _base: Path) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599 for v in value
    ):
        raise ValueError("expected a list of HTTP status codes (100-599)")
    return tuple(value)


def _headers(value: Any, _base: Path) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping):
        raise TypeError("expected a table of host pattern -> {header = value}")
    result: dict[str, dict[str, str]] = {}
    for pattern, headers in value.items():
        if not isinstance(headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise ValueError(f"headers for {pattern!r} must be a table of strings")
        if pattern.startswith("^"):
            re.compile(pattern)
        result[pattern] = dict(headers)
    return result


_Converter = Callable[[Any, Path], Any]
_KEYS: dict[str, tuple[str, _Converter]] = {
    "concurrency": ("concurrency", _positive_int),
    "per-host": ("per_host", _positive_int),
    "min-interval": ("min_interval", _non_negative_float),
    "timeout": ("timeout", _positive_float),
    "deadline": ("deadline", _positive_float),
    "retries": ("retries", _non_negative_int),
    "retry-after-cap": ("retry_after_cap", _non_negative_float),
    "backoff-base": ("backoff_base", _non_negative_float),
    "exclude": ("exclude", _regexes),
    "false-positives": ("false_positives", _path_string),
    "headers": ("headers", _headers),
    "user-agent": ("user_agent", _string),
    "accept": ("accept", _status_codes),
    "check-anchors": ("check_anchors", _boolean),
    "cache-dir": ("cache_dir", _path),
    "cache-ttl": ("cache_ttl", _non_negative_float),
}


class HeaderMatcher:
    """Finds the extra headers configured for a host (see `ExternalSettings.headers`)."""

    def __init__(self, headers: Mapping[str, Mapping[str, str]]) -> None:
        self._rules: list[tuple[Callable[[str], bool], dict[str, str]]] = []
        for pattern, values in headers.items():
            if pattern.startswith("^"):
                regex = re.compile(pattern, re.IGNORECASE)
                self._rules.append((_regex_matcher(regex), dict(values)))
            else:
                self._rules.append((_glob_matcher(pattern.lower()), dict(values)))
        self._memo: dict[str, dict[str, str]] = {}

    def for_host(self, host: str) -> dict[str, str]:
        """The merged headers of every pattern matching `host` (lower-cased)."""
        host = host.lower()
        found = self._memo.get(host)
        if found is None:
            found = {}
            for matches, values in self._rules:
                if matches(host):
                    found.update(values)
            self._memo[host] = found
        return found


def _regex_matcher(regex: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda host: regex.search(host) is not None


def _glob_matcher(glob: str) -> Callable[[str], bool]:
    return lambda host: fnmatch.fnmatchcase(host, glob)
