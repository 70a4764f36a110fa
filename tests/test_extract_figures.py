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


def test_unitless_fraction_after_a_ranking_word_of_its_sentence_is_a_rank():
    (m,) = [m for m in extract("L'indice PAPI classe la province de Bac Ninh 27/63.", "fr") if m.type != "date"]
    assert (m.type, m.text, m.rank, m.out_of) == ("rank", "27/63", 27, 63)
    # A counted noun keeps the fraction; so does a cue in an earlier sentence.
    assert figs("Le classement est paru. La province a 12/12 communes et 8/10.", "fr") == [
        ("fraction", "12/12 communes"), ("fraction", "8/10")]
    # Vietnamese cues are compared with their diacritics: hàng (row, yearly) is not hạng (rank).
    assert figs("Hàng năm tỉnh sử dụng 8/10.", "vi") == [("fraction", "8/10")]
    assert figs("Tỉnh xếp hạng PCI ở vị trí 12/63.", "vi") == [("rank", "12/63")]
    assert figs("Tinh xep hang PCI o vi tri 12/63.", "vi") == [("rank", "12/63")]  # no diacritics at all


def test_table_money_column_takes_scale_and_currency_from_its_heading():
    text = ("| Địa phương | Thu NSNN (tỷ đồng) | Tăng trưởng (%) |\n|---|---|---|\n"
            "| Hải Phòng | 58.830 | 11,21 |\n")
    ms = [m for m in extract(text, "vi")]
    money = [m for m in ms if m.type == "money"]
    assert [(m.text, m.amount, m.currency) for m in money] == [("58.830", 58830000000000, "VND")]
    assert [(m.text, m.value) for m in ms if m.type == "percent"] == [("11,21", 11.21)]
    (m,) = [m for m in extract("| District | Price (VND million/m2) |\n|---|---|\n| Hoan Kiem | 187.9 |\n", "en")
            if m.type == "money"]
    assert (m.amount, m.currency) == (187900000, "VND")


def test_row_labels_and_captions_give_cells_their_role():
    text = ("Key digital transformation indicators (%)\n\n| Indicator | 2024 | 2025 |\n|---|---|---|\n"
            "| Digital economy share of GRDP | 18.5 | 21.3 |\n")
    ms = extract(text, "en")
    assert [(m.type, m.text) for m in ms] == [("date", "2024"), ("date", "2025"), ("percent", "18.5"),
                                              ("percent", "21.3")]
    text = ("| Chỉ tiêu | Mục tiêu | Kết quả |\n|---|---|---|\n| Thu nhập bình quân (triệu đồng/người) | 55 | 58,2 |\n"
            "| Tỷ lệ hộ nghèo (%) | 4 | 3,1 |\n")
    assert [(m.type, m.text, getattr(m, "amount", None)) for m in extract(text, "vi")] == [
        ("money", "55", 55000000), ("money", "58,2", 58200000), ("percent", "4", None), ("percent", "3,1", None)]
    text = "| Indicateur | 2023 | 2024 |\n|---|---|---|\n| Classement PCI | 7e | 6e |\n"
    assert [(m.type, m.text) for m in extract(text, "fr") if m.type == "rank"] == [("rank", "7e"), ("rank", "6e")]


def test_range_in_a_money_cell():
    text = "| No. | Volume | Fine (VND million) |\n|---|---|---|\n| 1 | Under 5 m3/day | 1 - 2 |\n"
    ms = [m for m in extract(text, "en") if m.type == "money"]
    assert [(m.text, m.amount, m.currency) for m in ms] == [("1", 1000000, "VND"), ("2", 2000000, "VND")]


def test_a_note_naming_a_unit_gives_cells_a_scale_and_unit():
    text = ("| Sản phẩm | 9 tháng 2025 | Tăng/giảm (%) |\n|---|---|---|\n| Lúa (nghìn tấn) | 43.152,6 | 0,8 |\n"
            "| Tổng (ước tính) | 12 | 1,1 |\n")
    ms = [m for m in extract(text, "vi") if m.type == "quantity"]
    assert [(m.text, m.value, m.unit) for m in ms] == [("9 tháng", 9, "tháng"), ("43.152,6", 43152600, "tấn"),
                                                       ("12", 12, "")]
    text = "| Indicator | Q3 2025 |\n|---|---|\n| Labour force (million people) | 53.3 |\n"
    (m,) = [m for m in extract(text, "en") if m.type == "quantity"]
    assert (m.value, m.unit) == (53300000, "people")


def test_a_minus_glued_to_a_percentage_makes_it_negative():
    assert [(m.text, m.value) for m in extract("GRDP giảm -1,2% so với cùng kỳ; tăng 5-7%", "vi")
            if m.type == "percent"] == [("-1,2%", -1.2), ("5", 5), ("7%", 7)]
    text = "| Sector | Growth (%) |\n|---|---|\n| Mining | -1.4 |\n"
    assert [(m.text, m.value) for m in extract(text, "en") if m.type == "percent"] == [("-1.4", -1.4)]


def test_a_heading_that_counts_gives_its_cells_a_unit():
    text = "Kinh phí hỗ trợ (triệu đồng):\nĐịa bàn | Số người | Kinh phí\nThạnh Hóa | 412 | 618\n"
    ms = [(m.type, m.text, getattr(m, "unit", None), getattr(m, "amount", None)) for m in extract(text, "vi")]
    assert ("quantity", "412", "người", None) in ms and ("money", "618", None, 618000000) in ms
