"""Tier 1: every example and counter-example of every pattern file.

Adding a pattern (or an example) to patterns/ adds a test here; this file
never needs editing. Test ids are the pattern id and the example's number.
"""
import pytest

from pipeline.pattern_check import cases, check

CASES = list(cases())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_pattern_case(case):
    problem = check(case)
    assert problem is None, problem


def test_every_pattern_has_an_example():
    from pipeline.patterns import load_pattern_file, pattern_files

    for path in pattern_files():
        for rec in load_pattern_file(path).patterns:
            assert rec.examples, f"{path}: {rec.id} has no example"


def test_examples_cover_three_languages():
    langs = {c.lang for c in CASES}
    assert {"fr", "en", "vi"} <= langs
