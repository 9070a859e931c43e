"""Property-based differential test: generated MyST documents, fast scanner vs markdown-it-py.

Every extracted link, label, heading (text, slug), toctree, comment and span is compared
(`test_differential._compare`). Bounded for the suite: a fixed number of examples, no
deadline, derandomized and without an example database, so every run tries the same
documents. `benchmarks/fuzz_scanner.py` runs the same grammar for as long as you like.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from myst_grammar import documents
from test_differential import _compare

# Documents on which markdown-it-py/MyST itself is the odd one out: (reason, predicate).
ALLOWED: list[tuple[str, str]] = []

PROFILE = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROFILE
@given(documents)
def test_generated_documents_match_markdown_it(text: str) -> None:
    assert _compare(text) == [], text
