"""``issued`` and ``issuing_body``: real sentences of the sample corpus that date a code."""
import pytest

from pipeline import extract

CASES = [
    # (lang, sentence, code text, issued, issuing body)
    ("fr", "la Conclusion N° 01-KL/TW, en date du 18 mai 2021 du Politburo sur", "01-KL/TW", "2021-05-18", "Politburo"),
    ("fr", "la Résolution n° 12 - NQ/TU, en date du 5 décembre 2007 du Comité permanent", "12 - NQ/TU", "2007-12-05", None),
    ("fr", "la Directive N°45-CT/TW du Politburo, datée du 14 avril 2025.", "45-CT/TW", "2025-04-14", "Politburo"),
    ("fr", "la résolution n° 18-NQ/TW du 12e Comité central du Parti en date du 25 octobre 2017", "18-NQ/TW", "2017-10-25", None),
    ("fr", "la Conclusion 43-KL/TW, que le Secrétariat a publiée le 7 janvier 2019 pour", "43-KL/TW", "2019-01-07", None),
    ("fr", "la résolution n°10-NQ/TW, adoptée par le Politburo le 5 avril 1988, qui", "10-NQ/TW", "1988-04-05", "Politburo"),
    ("fr", "le Politburo a émis la directive n° 13, en date du 3 décembre 2022, afin", "directive n° 13", "2022-12-03", None),
    ("en", "appended to Decision No. 3639/QD-UBND of December 30, 2024. The", "3639/QD-UBND", "2024-12-30", None),
    ("en", "Resolution No. 104/NQ-HDND, passed by the Provincial People's Council on December 6, 2024,", "104/NQ-HDND", "2024-12-06", "Provincial People's Council"),
    ("en", "Decree No. 34/2016/ND-CP, issued by the Government on May 14, 2016, which", "34/2016/ND-CP", "2016-05-14", "Government"),
    ("en", "Government Decree No. 154/2020/ND-CP dated December 31, 2020.", "154/2020/ND-CP", "2020-12-31", None),
    ("en", "digital transformation (Resolution 57 of December 22, 2024), which", "Resolution 57", "2024-12-22", None),
    ("vi", "Chỉ thị 13-CT/TW, ngày 12/01/2017 (do Ban Bí thư ban hành)", "13-CT/TW", "2017-01-12", None),
    ("vi", "Kết luận số 126-KL/TW, ngàỷ 14/02/2025 do Bộ Chính trị", "126-KL/TW", "2025-02-14", "Bộ Chính trị"),
    ("vi", "Nghị quyết số 57-NQ/TW của Bộ Chính trị (ngày 22/12/2024) về đột phá", "57-NQ/TW", "2024-12-22", "Bộ Chính trị"),
    ("vi", "Nghị định số 44/2015/NĐ-CP của Chính phủ ban hành ngày 06 tháng 5 năm 2015 quy định", "44/2015/NĐ-CP", "2015-05-06", "Chính phủ"),
    ("vi", "Nghị quyết số 47 mà HĐND tỉnh ban hành ngày 13/12/2019 quy định", "Nghị quyết số 47", "2019-12-13", None),
]


@pytest.mark.parametrize("lang, sentence, code, issued, body", CASES, ids=[c[2] for c in CASES])
def test_issued(lang, sentence, code, issued, body):
    refs = [m for m in extract(sentence, lang) if m.type == "doc_ref" and m.text == code]
    assert refs, f"{code!r} not found"
    assert refs[0].issued == issued
    if body is not None:
        assert refs[0].issuing_body == body


@pytest.mark.parametrize("lang, sentence", [
    ("fr", "(Conclusion N°201-KL/TW).\n\nD'après ce texte, à l'issue de leur réunion du 31 octobre"),
    ("fr", "la décision 318/QĐ-TTg, c'est en 2018 que"),
    ("en", "Resolution No. 205/NQ-CP following its regular meeting in June 2025"),
    ("vi", "Nghị quyết số 26-NQ/TW bàn về vấn đề nông nghiệp, nông dân, nông thôn. Tiếp theo, ngày 28/10/2008"),
])
def test_no_issued_date_when_the_date_is_not_the_codes(lang, sentence):
    assert all(m.issued is None for m in extract(sentence, lang) if m.type == "doc_ref")
