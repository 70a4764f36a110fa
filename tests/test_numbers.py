import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.numbers import NumberFormatError, format_number, parse_number


@pytest.mark.parametrize("text, convention, value", [
    ("2 046", "space-dot", 2046),
    ("1.355", "space-dot", 1355),
    ("2,36", "space-dot", 2.36),
    ("352.164", "space-dot", 352164),
    ("1.972.767", "space-dot", 1972767),
    ("15.510,99", "space-dot", 15510.99),
    ("66.87", "space-dot", 66.87),  # a dot before two digits is a decimal mark (vi PCI tables)
    ("1.58", "space-dot", 1.58),
    ("05", "space-dot", 5),
    ("27,554", "comma", 27554),
    ("1,301.5", "comma", 1301.5),
    ("15,058", "comma", 15058),
    ("99.7", "comma", 99.7),
])
def test_parse_number(text, convention, value):
    assert parse_number(text, convention) == pytest.approx(value)


def test_parse_number_rejects_garbage():
    with pytest.raises(NumberFormatError):
        parse_number("abc", "comma")
    with pytest.raises(ValueError):
        parse_number("12", "roman")


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["space-dot", "comma"]),
       st.sampled_from([".", " "]))
def test_integers_round_trip(n, convention, group):
    assert parse_number(format_number(n, convention, 0, group), convention) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99),
       st.sampled_from(["space-dot", "comma"]))
def test_decimals_round_trip(whole, cents, convention):
    value = whole + cents / 100
    text = format_number(value, convention, 2)
    assert parse_number(text, convention) == pytest.approx(value, rel=1e-12)


@settings(deadline=None)  # the first example compiles the patterns
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99),
       st.sampled_from(["fr", "en", "vi"]))
def test_percentages_written_in_each_language_read_back_through_the_extractor(whole, cents, lang):
    from pipeline import extract
    from pipeline.patterns import lexicon

    convention = lexicon(lang).number_convention
    value = whole + cents / 100
    text = f"soit {format_number(value, convention, 2)} %"
    (m,) = extract(text, lang)
    assert m.type == "percent" and m.value == pytest.approx(value, rel=1e-12)
