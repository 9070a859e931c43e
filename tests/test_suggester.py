"""Did-you-mean over thousands of choices: prepared once, the same answers where it matters."""

from __future__ import annotations

from nemo_docs_lint.suggest import Suggester, closest, did_you_mean


def test_among_many_labels_the_misspelt_one_is_found() -> None:
    labels = tuple(f"label-{i}" for i in range(5000))
    suggester = Suggester(labels)
    assert suggester.closest("labl-1234") == "label-1234"
    assert suggester.closest("label-4999x") == "label-4999"
    assert suggester.closest("zzzz") is None
    assert did_you_mean("labl-77", labels, "`") == "; did you mean `label-77`?"


def test_few_choices_answer_exactly_as_closest() -> None:
    choices = ["how-to", "tutorial", "concept", "reference", "data-scientist-focused"]
    for word in ("howto", "Tutorials", "concpt", "Data Scientists", "nothing-like-it", "ref"):
        assert Suggester(choices).closest(word) == closest(word, choices)
