import pytest

from pipeline.lang import choose_lang, detect_lang


@pytest.mark.parametrize("text, lang", [
    ("Le Comité provincial du Parti a publié le programme et les résolutions de la province.", "fr"),
    ("The Provincial Party Committee has issued the program and the resolutions of the province.", "en"),
    ("Tỉnh ủy đã ban hành chương trình và các nghị quyết của tỉnh trong năm nay.", "vi"),
])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_folder_name_wins_over_text():
    assert choose_lang("archive/vi/doc.txt", "The province has issued the program.") == "vi"
    assert choose_lang("doc.txt", "The province has issued the program.", requested="fr") == "fr"
