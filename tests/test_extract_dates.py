import pytest

from pipeline import analyse, extract


def dates(text, lang):
    return [(m.type, m.text, m.value) for m in extract(text, lang) if m.type in ("date", "period")]


def test_no_invented_day_or_year():
    assert dates("Le 6 octobre, conférence", "fr") == [("date", "6 octobre", "XXXX-10-06")]
    assert dates("en juin 2013", "fr") == [("date", "juin 2013", "2013-06")]


def test_impossible_date_is_rejected_and_recorded():
    a = analyse("le 31/02/2021 à Hanoi", "fr")
    assert [m for m in a.mentions if m.type == "date" and m.text == "31/02/2021"] == []
    assert any(d.status == "rejected" and "does not exist" in d.reason for d in a.dropped)


@pytest.mark.parametrize("text, lang", [("aujourd'hui", "fr"), ("l'an dernier", "fr"), ("hiện nay", "vi"),
                                        ("this year", "en")])
def test_relative_times_alone_yield_nothing(text, lang):
    assert extract(text, lang) == []


def test_relative_start_makes_no_period():
    assert dates("từ nay đến năm 2030", "vi") == [("date", "năm 2030", "2030")]


def test_open_period():
    assert dates("(de 2017 à aujourd'hui, plus de", "fr") == [("period", "2017 à aujourd'hui", "2017/..")]


def test_vietnamese_line_break_inside_date():
    assert dates("ngày 16\ntháng 7 năm 2021", "vi") == [("date", "ngày 16\ntháng 7 năm 2021", "2021-07-16")]


@pytest.mark.parametrize("text, lang, span, value", [
    ("du 15 octobre 1930 - 15 octobre 2024, le Parti", "fr", "15 octobre 1930 - 15 octobre 2024", "1930-10-15/2024-10-15"),
    ("the survey ran from November 1 to December 15, 2024.", "en", "November 1 to December 15, 2024",
     "2024-11-01/2024-12-15"),
    ("Kỷ niệm 50 năm (30/4/1975 - 30/4/2025)", "vi", "30/4/1975 - 30/4/2025", "1975-04-30/2025-04-30"),
])
def test_two_dates_joined_by_a_range_word_make_a_period(text, lang, span, value):
    assert ("period", span, value) in dates(text, lang)


def test_dates_in_the_wrong_order_stay_two_dates():
    assert [t for t, _, _ in dates("le 15 octobre 2024 - 15 octobre 1930", "fr")] == ["date", "date"]
