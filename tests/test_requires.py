"""``requires``: the literals that let a pattern skip a text must never change the output."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import analyse
from pipeline.pattern_check import requires_miss
from pipeline.patterns import PatternFileError, compiled_patterns, lexicon

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
LANGS = ("fr", "en", "vi")


def _docs(lang):
    return sorted((CORPUS / lang).glob("*.txt"))


@pytest.mark.parametrize("lang", LANGS)
def test_no_corpus_match_lacks_its_literals(lang):
    """Wherever a pattern's regex matches a sample text, the text holds one of its literals."""
    misses = []
    for path in _docs(lang):
        text = path.read_text(encoding="utf-8")
        for cp in compiled_patterns(lang):
            why = requires_miss(cp.id, lang, text)
            if why:
                misses.append(f"{path.name}: {cp.id}: {why}")
    assert misses == []


@pytest.mark.parametrize("lang", LANGS)
def test_output_same_with_and_without_requires(lang, monkeypatch):
    texts = [p.read_text(encoding="utf-8") for p in _docs(lang)]
    with_skip = [analyse(t, lang).mentions for t in texts]
    for cp in compiled_patterns(lang):
        monkeypatch.setattr(cp, "requires", ())
    without = [analyse(t, lang).mentions for t in texts]
    assert with_skip == without


def test_patterns_skip_texts_without_their_literals():
    """A text with no month word is not scanned by the month patterns (they need one)."""
    month = [cp for cp in compiled_patterns("fr") if cp.id == "date.fr.day-month-year"][0]
    assert "janvier" in month.requires and "aout" in month.requires  # folded table entries
    assert requires_miss(month.id, "fr", "Le 20 août 2013") == ""


def test_literals_expand_tables_fold_and_drop_longer_ones():
    lits = lexicon("fr").literals(["{currency}", "pour cent"], "test")
    assert "dong" in lits and "eur" in lits and "€" in lits  # entries, folded (dông -> dong)
    assert "dongs" not in lits and "euro" not in lits and "us$" not in lits  # each holds a shorter one
    assert "pour" in lits  # a phrase stands for its first word
    # Vietnamese "đ" (folded to "d") is a currency word: a literal that nearly every text holds.
    assert "d" in lexicon("vi").literals(["{currency}"], "test")


def test_requires_naming_a_variable_is_an_error():
    with pytest.raises(PatternFileError, match="no lexicon table or list"):
        lexicon("fr").literals(["{nbl}"], "patterns/x.yaml: record 'x'")


def test_a_wrong_requires_is_caught(monkeypatch):
    """A literal list that a match can lack is reported by the example check."""
    cp = [cp for cp in compiled_patterns("fr") if cp.id == "percent.single"][0]
    monkeypatch.setattr(cp, "requires", ("pour",))
    assert "none of the literals" in requires_miss(cp.id, "fr", "une hausse de 2,36 % en 2013")
