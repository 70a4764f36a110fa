import unicodedata

from pipeline import extract
from pipeline.textview import fold, make_view


def test_fold_keeps_length_and_strips_marks():
    s = "Nghị qúỷết số 18 ngàỷ 28/2/2025 Đảng ủy août"
    f = fold(s)
    assert len(f) == len(s)
    assert f == "nghi quyet so 18 ngay 28/2/2025 dang uy aout"


def test_norm_maps_dashes_spaces_and_eth():
    v = make_view("12\u00a0\u2013\u00a0NQ/\u00d0U")
    assert v.norm == "12 - NQ/ĐU"
    assert v.offsets == ()


def test_nfd_text_offsets_point_into_original():
    composed = "Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Bộ Chính trị, năm 2022 đạt 95,1%"
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    a = extract(composed, "vi")
    b = extract(decomposed, "vi")
    assert [(m.type, m.model_dump(exclude={"start", "end", "text"})) for m in a] == \
           [(m.type, m.model_dump(exclude={"start", "end", "text"})) for m in b]
    for m in b:
        assert decomposed[m.start:m.end] == m.text
        assert unicodedata.normalize("NFC", m.text) == composed[a[b.index(m)].start:a[b.index(m)].end]


def test_crlf_text_works_like_lf():
    lf = "Le 20 août 2013, 119/119 communes.\nEn 2022, 2,36 %."
    crlf = lf.replace("\n", "\r\n")
    a, b = extract(lf, "fr"), extract(crlf, "fr")
    assert [m.text for m in a] == [m.text for m in b]
    assert all(crlf[m.start:m.end] == m.text for m in b)
