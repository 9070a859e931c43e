"""A cache file with deltas (`CacheFile.DELTAS`, the lint state): a save that changed little
writes only the change beside the file; the next load sees exactly the entries saved; a delta
that is torn, forged, malformed or made for another version of the file is ignored (the file's
own entries serve); a large change rewrites the file whole and drops the delta."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from pathlib import Path

import pytest

from nemo_docs_lint import cache_file
from nemo_docs_lint.cache_file import MAGIC, CacheFile, checksum


class _Deltas(CacheFile):
    DELTAS = True


def _cache(tmp_path: Path) -> _Deltas:
    cache = _Deltas(tmp_path / "cache", tmp_path / "cache" / "state" / "s.bin", ("h", 1))
    cache.load()
    return cache


def _entries() -> dict[str, object]:
    return {
        "digests": {f"page-{n}": f"{n:032x}:md" for n in range(400)},
        "groups": {n: bytes(200) for n in range(64)},
        "tree": tuple((f"LNK00{n % 5}", f"page-{n}.md", n) for n in range(300)),
        "layout": b"x" * 16,
    }


def _saved(tmp_path: Path, entries: dict[str, object]) -> _Deltas:
    cache = _cache(tmp_path)
    for key, entry in entries.items():
        cache.put(key, entry)
    assert cache.save()
    return cache


def _saved_again(tmp_path: Path, entries: dict[str, object]) -> _Deltas:
    """A second run's cache: the file as `_saved` left it, then `_changed` entries saved."""
    cache = _cache(tmp_path)
    for key, entry in _changed(entries).items():
        cache.put(key, entry)
    cache.save()
    return cache


def _changed(entries: dict[str, object]) -> dict[str, object]:
    digests = dict(entries["digests"])  # type: ignore[call-overload]
    digests["page-7"] = "f" * 32 + ":md"
    del digests["page-8"]
    groups = dict(entries["groups"])  # type: ignore[call-overload]
    groups[3] = b"changed"
    changed = {**entries, "digests": digests, "groups": groups, "layout": b"y" * 16}
    del changed["tree"]
    return changed


def test_a_small_change_is_written_beside_the_file_and_read_back(tmp_path: Path) -> None:
    entries = _entries()
    first = _saved(tmp_path, entries)
    base = first.path.read_bytes()
    assert first.digest is not None and not first.delta_path.exists()
    changed = _changed(entries)
    second = _cache(tmp_path)
    assert second._old == entries and second.digest == first.digest
    for key, entry in changed.items():
        second.put(key, entry)
    assert second.save()
    assert first.path.read_bytes() == base  # the file as it was
    assert first.delta_path.stat().st_size < len(base) / 10
    third = _cache(tmp_path)
    assert third._old == changed
    assert third.digest == second.digest != first.digest
    # a further change is again written against the file: both changes in one delta
    more = dict(changed, layout=b"z" * 16)
    for key, entry in more.items():
        third.put(key, entry)
    assert third.save()
    assert first.path.read_bytes() == base
    assert _cache(tmp_path)._old == more


def test_a_large_change_rewrites_the_file_and_drops_the_delta(tmp_path: Path) -> None:
    entries = _entries()
    first = _saved(tmp_path, entries)
    _saved_again(tmp_path, entries)
    assert first.delta_path.exists()
    third = _cache(tmp_path)
    new = {key: entry for key, entry in _changed(entries).items() if key != "groups"}
    new["tree"] = tuple(("X", str(n)) for n in range(3000))
    for key, entry in new.items():
        third.put(key, entry)
    assert third.save()
    assert not first.delta_path.exists()
    fourth = _cache(tmp_path)
    assert fourth._old == new and fourth.digest == third.digest


def _signed(payload: tuple[object, ...], key: bytes | None = None) -> bytes:
    data = marshal.dumps(payload)
    if key is None:
        signed = checksum(data)
    else:
        import hmac

        signed = hmac.new(key, data, "sha256").hexdigest()[:32].encode()
    return MAGIC + signed + b"\n" + data


def _delta(cache: _Deltas, *parts: object, key: bytes | None = None) -> bytes:
    return _signed((*cache.header, cache._base_digest, *parts), key)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda cache, raw: raw[:-5], id="torn"),
        pytest.param(lambda cache, raw: raw[:-3] + bytes([raw[-3] ^ 1]) + raw[-2:], id="flipped"),
        pytest.param(
            lambda cache, raw: _delta(cache, {"layout": b"forged"}, {}, (), key=b"k" * 32),
            id="foreign-key",
        ),
        pytest.param(
            lambda cache, raw: _signed((*cache.header, b"other", {"layout": b"f"}, {}, ())),
            id="another-file",
        ),
        pytest.param(lambda cache, raw: _delta(cache, [], {}, ()), id="whole-not-dict"),
        pytest.param(lambda cache, raw: _delta(cache, {}, {}, ["tree"]), id="removed-not-tuple"),
        pytest.param(lambda cache, raw: _delta(cache, {1: b"x"}, {}, ()), id="key-not-text"),
        pytest.param(
            lambda cache, raw: _delta(cache, {}, {"layout": ({}, ())}, ()), id="nested-not-dict"
        ),
        pytest.param(
            lambda cache, raw: _delta(cache, {}, {"digests": ({}, ([1],))}, ()),
            id="unhashable-removed",
        ),
        pytest.param(
            lambda cache, raw: _delta(cache, {}, {"digests": {}}, ()), id="nested-not-pair"
        ),
        pytest.param(lambda cache, raw: _delta(cache, {}, {}), id="short"),
    ],
)
def test_a_damaged_or_foreign_delta_is_ignored(
    tmp_path: Path, damage: Callable[[_Deltas, bytes], bytes]
) -> None:
    entries = _entries()
    first = _saved(tmp_path, entries)
    second = _saved_again(tmp_path, entries)
    raw = first.delta_path.read_bytes()
    first.delta_path.write_bytes(damage(second, raw))
    loaded = _cache(tmp_path)
    assert loaded._old == entries  # the file's own entries, as a run wrote them
    assert loaded.digest == first.digest


def test_a_delta_of_a_file_written_again_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process rewrote the file whole: the delta made for the file before does not
    apply to it."""
    entries = _entries()
    _saved(tmp_path, entries)
    second = _saved_again(tmp_path, entries)
    stale = second.delta_path.read_bytes()
    rewritten = dict(entries, layout=b"w" * 16)
    monkeypatch.setattr(_Deltas, "DELTA_SHARE", 0.0)  # the next save rewrites the file
    third = _saved(tmp_path, rewritten)
    assert not third.delta_path.exists()
    third.delta_path.write_bytes(stale)
    assert _cache(tmp_path)._old == rewritten


def test_a_file_signed_by_another_user_takes_no_delta(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = _entries()
    with monkeypatch.context() as other_user:
        other_user.setattr(cache_file, "cache_key", lambda: b"k" * 32)
        _saved(tmp_path, entries)
        _saved_again(tmp_path, entries)
    loaded = _cache(tmp_path)
    assert loaded._old == {} and loaded.digest is None
