"""The prefilter (skip / windows) must give exactly what a full finditer gives."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import prefilter
from pipeline.patterns import compiled_patterns, languages, lexicon
from pipeline.regex_shape import Unsupported, analyse
from pipeline.textview import make_view

from .conftest import CORPUS

LANGS = sorted(languages())


def _runs(lang: str):
    """(id, compiled regex, plan, view name) for every pattern of ``lang`` and its no-mention zone."""
    out = [(cp.id, cp.regex, cp.plan, cp.view) for cp in compiled_patterns(lang)]
    lex = lexicon(lang)
    out.append(("no_mention_zone", lex.compiled_variable("no_mention_zone"), lex.variable_plan("no_mention_zone"), "fold"))
    return out


def _same(text: str, lang: str) -> None:
    view = make_view(text)
    for name, compiled, plan, which in _runs(lang):
        t = view.fold if which == "fold" else view.norm
        want = [(m.span(), m.groups()) for m in compiled.finditer(t, timeout=5)]
        got = [(m.span(), m.groups()) for m in prefilter.finditer(compiled, plan, prefilter.TextIndex(t), 5)]
        assert got == want, f"{lang} {name}"


@pytest.mark.parametrize("lang", LANGS)
def test_corpus_texts_match_a_full_scan(lang):
    for path in sorted((CORPUS / lang).glob("*.txt")):
        _same(path.read_text(encoding="utf-8"), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_pattern_examples_match_a_full_scan(lang):
    texts = []
    for cp in compiled_patterns(lang):
        texts.extend(e.text for e in cp.record.examples)
        texts.extend(c if isinstance(c, str) else c.text for c in cp.record.counter_examples)
    # Examples glued together with prose between them: anchors near and far apart.
    _same("\n".join(texts), lang)
    _same(" lorem ipsum dolor sit amet ".join(texts), lang)


def _pieces(lang: str) -> list[str]:
    words = []
    for cp in compiled_patterns(lang):
        for e in cp.record.examples:
            words.extend(e.text.split())
    return sorted(set(words))


@pytest.mark.parametrize("lang", LANGS)
def test_random_texts_match_a_full_scan(lang):
    pieces = _pieces(lang)
    seps = [" ", "  ", "\n", "\n\n", " \t", "", "-", "/", ".", ", ", " 1 ", "\u00a0",
            " lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ",
            " un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from(pieces), st.sampled_from(seps)), min_size=1, max_size=80))
    def check(parts):
        _same("".join(w + s for w, s in parts), lang)

    check()


def test_shape_of_simple_regexes():
    s = analyse(r"(?<![\p{L}])(?:trimestre|semestre)\s+(?<y>\d{4})")
    assert set(s.literals[0]) == {"trimestre", "semestre"}
    assert s.reach.forward == 1 and not s.nullable and not s.digit_led
    assert analyse(r"\d+\s*%").digit_led
    assert analyse(r"a*").nullable
    # whitespace glued between digits is no break; a mixed class repeated is unbounded
    assert analyse(r"\d{1,3}(?:[ .]\d{3})+").reach.forward == 0
    assert analyse(r"x[\s(]*y").reach.forward is None
    assert analyse(r"(?<=between\s+)\d+").reach.backward == 1
    for unsupported in (r"(?i)abc", r"(?:abc){e<=1}", r"a\Kb", r"{", r"(?(1)a|b)"):
        with pytest.raises(Unsupported):
            analyse(unsupported)


def test_a_text_without_a_required_literal_is_skipped():
    cp = next(c for c in compiled_patterns("fr") if c.id == "period.fr.quarter")
    index = prefilter.TextIndex("rien de tel ici, 2021 et 2022")
    assert prefilter.finditer(cp.regex, cp.plan, index, 1.0) == []
