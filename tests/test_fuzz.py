"""No text makes the extractor raise: mutated sample texts and templated phrases with odd numbers.

A builder that raises turns its whole document into an error record, so a crash found here
(``du 13 au 15 octobre``, a day range with no year, once did) costs a document's mentions.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline.document import analyse

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

MUTATIONS = {
    "years removed": lambda t, r: re.sub(r"\b(19|20)\d\d\b", "", t),
    "digits shuffled": lambda t, r: re.sub(r"\d", lambda m: str(r.randint(0, 9)), t),
    "extreme numbers": lambda t, r: re.sub(r"\d+", lambda m: str(r.choice([0, 1, 12, 31, 100, 2024, 99999, 10**12])), t),
    "no spaces": lambda t, r: t.replace(" ", ""),
    "one line": lambda t, r: t.replace("\n", " "),
    "doubled separators": lambda t, r: re.sub(r"(\d)([ .,/-])(\d)", r"\1\2\2\3", t),
    "words shuffled": lambda t, r: " ".join(r.sample(t.split(), len(t.split()))),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_mutated_sample_texts_never_raise(mutation):
    rng = random.Random(7)
    for path in sorted(CORPUS.glob("*/*.txt")):
        analyse(MUTATIONS[mutation](path.read_text(encoding="utf-8"), rng), path.parent.name)


TEMPLATES = {
    "fr": ["du {} au {} {}", "{} {} {}", "{}e sur {}", "{}/{} {}", "T{} {}", "entre {} et {}", "{} à {} %",
           "de {} à {} millions de dollars", "{} au {} octobre"],
    "en": ["{} to {} {}", "{} {}, {}", "{}th out of {}", "{} of the {} tasks", "Q{}/{}", "H{} {}", "{}-{} percent",
           "ranked {}th among {}", "{} Sept {}"],
    "vi": ["ngày {} đến {} tháng {} năm {}", "{} - {}/{}/{}", "thứ {}/{}", "quý {}/{}", "{}/{} xã",
           "tháng {} đến tháng {}/{}", "năm {} đến {}", "{} triệu đồng/{}"],
}
NUMBERS = ["0", "00", "1", "12", "13", "31", "32", "99", "100", "1900", "2024", "2100", "9999", "1 000", "1,5"]
WORDS = {"fr": ["mai", "octobre", ""], "en": ["May", "October", ""], "vi": ["", "năm", "tháng"]}


@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_templated_odd_figures_never_raise(lang):
    rng = random.Random(3)
    for template in TEMPLATES[lang]:
        for _ in range(40):
            args = [rng.choice(NUMBERS + WORDS[lang]) for _ in range(template.count("{}"))]
            analyse("Texte : " + template.format(*args) + " fin.", lang)


HEADINGS = ["STT", "No.", "Rank", "Lúa (nghìn tấn)", "(million people)", "(ước tính)", "Xếp hạng", "Rang national", "Score (%)", "Fine (VND million)", "(tỷ đồng)",
            "2024", "Indicator", ""]
CELLS = ["1", "2/63", "7e", "3rd", "1 - 2", "1.234,5", "2 380", "-", "", "abc", "0", "12/0", "5 - ", "99999999999"]


@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_random_tables_never_raise(lang):
    rng = random.Random(11)
    for _ in range(60):
        width = rng.randint(1, 4)
        rows = ["| " + " | ".join(rng.choice(HEADINGS) for _ in range(width)) + " |", "|" + "---|" * width]
        rows += ["| " + " | ".join(rng.choice(CELLS) for _ in range(rng.randint(1, width + 1))) + " |"
                 for _ in range(rng.randint(0, 3))]
        caption = rng.choice(["", "Key indicators (%)", "Đơn vị: tỷ đồng", "Unité : %"])
        analyse(caption + "\n\n" + "\n".join(rows) + "\n", lang)
