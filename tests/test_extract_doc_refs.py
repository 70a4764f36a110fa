from pipeline import extract, references


def refs(text, lang):
    return [m for m in extract(text, lang) if m.type == "doc_ref"]


def test_short_reference_links_to_full_code_in_same_text():
    text = "La Résolution 25-NQ/TW du Bureau politique... pour concrétiser la résolution 25, la province"
    short = [m for m in refs(text, "fr") if m.text == "résolution 25"]
    assert short and short[0].canonical == "25-NQ/TW" and short[0].issuer == "TW"


def test_short_reference_unresolved_is_null_not_guessed():
    (m,) = refs("la directive n° 13, en date du 3 décembre 2022", "fr")
    assert m.canonical is None and m.kind == "CT" and m.number == 13


def test_ordinal_is_not_a_reference():
    assert refs("la Résolution du 13e Congrès national", "fr") == []


def test_cut_off_code_is_no_full_code():
    (m,) = refs("la Directive N° 35-CT/ du Secrétariat", "fr")
    assert m.text == "Directive N° 35" and m.canonical is None


def test_labels_and_issued_date():
    (m,) = refs("Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Bộ Chính trị", "vi")
    assert m.kind_label == "resolution" and m.issuer_label == "Central Committee"
    assert m.issued == "2013-06-03"
    assert m.issuing_body == "Bộ Chính trị"


def test_issued_in_english_and_french():
    (m,) = refs("Resolution 18-NQ/TW dated October 25, 2017 of the Politburo", "en")
    assert m.issued == "2017-10-25" and m.issuing_body == "Politburo"
    (m,) = refs("Conclusion N° 21-KL/TW, en date du 25 octobre 2021 du Comité central", "fr")
    assert m.issued == "2021-10-25"


def test_no_date_inside_a_code():
    ms = extract("le décret 70/2025/NĐ-CP du gouvernement", "fr")
    assert [(m.type, m.text) for m in ms] == [("doc_ref", "70/2025/NĐ-CP")]


def test_references_list_counts_each_code():
    ms = extract("la Résolution n° 25-NQ/TW et 19-CTr/TU ; la Résolution n° 25-NQ/TW", "fr")
    rs = references(ms)
    assert [(r.canonical, r.count) for r in rs] == [("19-CTR/TU", 1), ("25-NQ/TW", 2)]


def test_short_reference_takes_the_one_kindless_code_of_its_number():
    ms = [m for m in extract("Resolution No. 98/2023/QH15 on special mechanisms; Resolution 98 allows the city", "en")
          if m.type == "doc_ref"]
    assert [(m.text, m.canonical, m.kind, m.issuer, m.year) for m in ms] == [
        ("98/2023/QH15", "98/2023/QH15", None, "QH15", 2023), ("Resolution 98", "98/2023/QH15", "NQ", "QH15", 2023)]
    # Two kindless codes of that number: no way to choose.
    ms = extract("Law 98/2023/QH15 and 98/2024/QH15; Resolution 98 says", "en")
    assert [m.canonical for m in ms if m.type == "doc_ref" and m.text == "Resolution 98"] == [None]
