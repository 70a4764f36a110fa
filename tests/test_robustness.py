"""Pathological inputs finish quickly (every regex runs under a timeout) and yield lists."""
import pytest

from pipeline import extract

HOSTILE = [
    "1" * 20000,
    "1/" * 20000,
    "1/1/1/" * 20000,
    "-" * 20000,
    " " * 20000,
    "1 " * 20000,
    "1-" * 20000,
    "1." * 20000,
    "1,1 " * 10000,
    "NQ/" * 10000,
    "25-NQ/TW" * 5000,
    "ngày " * 10000,
    "\x00" * 1000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t[:8]) for t in HOSTILE])
@pytest.mark.parametrize("lang", ["fr", "en", "vi"])
def test_pathological_inputs_do_not_hang(text, lang):
    assert isinstance(extract(text, lang), list)


def test_nothing_found_is_an_empty_list():
    assert extract("Rien ici.", "fr") == []
