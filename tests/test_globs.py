"""Globs: Sphinx's semantics, errors instead of `re.error`, and linear matching for any pattern."""

from __future__ import annotations

import random
import time

import pytest

from nemo_docs_lint.globs import Glob, GlobError, GlobSet, compile_pattern, matches


@pytest.mark.parametrize(
    ("pattern", "sphinx", "path", "expected"),
    [
        ("*.md", False, "a.md", True),
        ("*.md", False, "x/a.md", False),
        ("**/a.md", False, "a.md", True),
        ("**/a.md", True, "a.md", False),
        ("**/a.md", True, "x/y/a.md", True),
        ("a?c", False, "a/c", False),
        ("[!a]x", False, "/x", False),
        ("[!a]x", False, "bx", True),
        ("[]]", False, "]", True),
        ("[^a]", False, "^", True),
        ("[abc", False, "[abc", True),
    ],
)
def test_sphinx_semantics(pattern: str, sphinx: bool, path: str, expected: bool) -> None:
    glob = compile_pattern(pattern, sphinx)
    assert glob.match(path) is expected
    assert _automaton(pattern, sphinx).match(path) is expected


def test_a_bad_range_is_a_glob_error() -> None:
    with pytest.raises(GlobError, match=r"invalid glob `\[z-a\]`: bad character range z-a"):
        compile_pattern("[z-a]")


def _automaton(pattern: str, sphinx: bool) -> Glob:
    glob = compile_pattern(pattern, sphinx)
    return Glob(pattern, None, glob.tokens)


def test_the_automaton_agrees_with_the_regex_on_random_globs() -> None:
    rng = random.Random(13)
    atoms = ["a", "b", "/", "*", "**", "**/", "?", "[ab]", "[!a]", "."]
    texts = ["".join(rng.choice("ab/.") for _ in range(rng.randrange(8))) for _ in range(300)]
    for _ in range(400):
        pattern = "".join(rng.choice(atoms) for _ in range(rng.randrange(1, 6)))
        sphinx = rng.random() < 0.5
        glob = compile_pattern(pattern, sphinx)
        if glob.regex is None:
            continue
        automaton = _automaton(pattern, sphinx)
        for text in texts:
            assert glob.match(text) == automaton.match(text), (pattern, sphinx, text)


def test_many_wildcards_match_in_linear_time() -> None:
    glob = compile_pattern("a*" * 24 + "x")
    assert glob.regex is None
    start = time.perf_counter()
    assert not glob.match("a" * 2000)
    assert glob.match("a" * 30 + "x")
    assert not matches("a" * 60 + "/" + "a" * 60, "**" + "a*" * 20 + "x")
    assert time.perf_counter() - start < 5  # a backtracking regex: astronomically long


def test_a_glob_set_combines_regexes_and_automata() -> None:
    globs = GlobSet([compile_pattern("_build"), compile_pattern("*a*b*c*d*", sphinx=True)])
    assert globs.match("_build") and globs.match("xaybzcwd") and not globs.match("x/abcd")


def test_runs_of_stars_merge_into_one_wildcard() -> None:
    glob = compile_pattern("*" * 24 + "x")  # the 30-second regex of an earlier version
    assert glob.regex is not None and glob.regex.pattern == r".*x\Z"  # `**` is `.*`
    assert compile_pattern("a/*/**/b", sphinx=True).regex.pattern == r"a/[^/]*/.*/b\Z"
