"""`about._covers`: whether a finding's target path is about one of the wanted paths."""

from __future__ import annotations

from nemo_docs_lint.about import _covers


def test_a_path_is_covered_by_a_wanted_folder_above_it() -> None:
    assert _covers(frozenset({"guides"}), "guides/a/b.md")
    assert _covers(frozenset({"guides/a"}), "guides/a/b.md")
    assert not _covers(frozenset({"guide"}), "guides/a/b.md")
    assert not _covers(frozenset({"guides/a/b.md"}), "guides/a")


def test_the_walk_up_ends_at_the_top_of_an_absolute_path() -> None:
    # "/" is its own dirname: the walk must stop there (it once looped forever)
    assert not _covers(frozenset({""}), "/a/b.md")
    assert _covers(frozenset({"/a"}), "/a/b.md")
