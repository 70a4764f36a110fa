from pipeline import extract


def figs(text, lang):
    return [(m.type, m.text) for m in extract(text, lang) if m.type not in ("date", "period", "doc_ref")]


def test_fraction_versus_date_is_decided_by_context():
    assert figs("ngày 20/8", "vi") == []
    assert figs("có 20/8 xã", "vi") == [("quantity", "20"), ("quantity", "8 xã")]
    assert figs("có 12/12 xã", "vi") == [("fraction", "12/12 xã")]


def test_inner_numbers_are_not_mentions():
    assert figs("119/119 communes répondent", "fr") == [("fraction", "119/119 communes")]


def test_top_ten_and_levels_are_not_counts():
    assert figs("Top 10 des provinces ; services de niveau 2", "fr") == []


def test_bare_amount_takes_currency_from_context_or_becomes_a_count():
    ms = extract("réuni 138,7 milliards de VND ; le budget a fourni 97,4 milliards, le solde", "fr")
    assert [(m.type, getattr(m, "currency", None)) for m in ms] == [("money", "VND"), ("money", "VND")]
    ms = extract("Il y a 97,4 milliards, le solde.", "fr")
    assert [m.type for m in ms] == ["quantity"]


def test_english_number_convention():
    (m,) = extract("revenue of 1,301.5 billion VND", "en")
    assert m.amount == 1301500000000 and m.currency == "VND"


def test_rank_out_of_and_not_ranks():
    assert figs("se classait au 25e rang sur 63 provinces", "fr") == [("rank", "25e rang sur 63")]
    assert [t for t, _ in figs("năm thứ 7 liên tiếp", "vi")] != ["rank"]


def test_table_rank_column():
    text = "Địa phương | Điểm PCI | Thứ hạng | Xếp loại\nĐà Nẵng | 66.87 | 1 | Rất tốt\nLào Cai | 64.67 | 3 | Tốt\n"
    ms = extract(text, "vi")
    assert [(m.type, m.text) for m in ms] == [("quantity", "66.87"), ("rank", "1"), ("quantity", "64.67"), ("rank", "3")]
    assert ms[0].value == 66.87


def test_fraction_check_against_stated_share():
    (f,) = [m for m in extract("accordés à 660/694 établissements religieux (atteignant un taux de 95,1%).", "fr")
            if m.type == "fraction"]
    assert f.check is not None and f.check.computed == 95.1 and f.check.agrees
    (f,) = [m for m in extract("soit 50/100 communes (un taux de 60%).", "fr") if m.type == "fraction"]
    assert f.check.agrees is False
    (f,) = [m for m in extract("soit 50/100 communes. Ailleurs 60%.", "fr") if m.type == "fraction"]
    assert f.check is None


def test_qualifiers():
    ms = {m.text: m for m in extract("more than 3 percent; nearly 40 communes; 12 communes", "en")}
    assert ms["3 percent"].qualifier == "more than"
    assert ms["40 communes"].qualifier == "nearly"
    assert ms["12 communes"].qualifier is None
    (m,) = extract("hơn 8.000 hộ gia đình", "vi")
    assert m.qualifier == "hơn" and m.value == 8000
