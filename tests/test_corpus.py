"""Tier 2: the gold corpus. Offsets round-trip, and the dev score stays above a floor."""
import importlib.util
import json
import subprocess
import sys

import pytest

from pipeline.batch import Options, process_source

from .conftest import CORPUS, ROOT, SHARED_SCORER

GOLD = [json.loads(line) for line in (CORPUS / "gold.jsonl").open(encoding="utf-8")]
# Measured 0.998 overall full F1 on corpus/ (see README, Quality); the floor leaves room for
# deliberate trade-offs, not for regressions.
FULL_F1_FLOOR = 0.97
TYPE_FLOOR = 0.90


def _text(doc):
    return (CORPUS / doc).read_bytes().decode("utf-8-sig")


@pytest.mark.parametrize("rec", GOLD, ids=[g["doc"] for g in GOLD])
def test_gold_spans_fit_their_text(rec):
    text = _text(rec["doc"])
    for m in rec["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]


@pytest.mark.parametrize("rec", GOLD, ids=[g["doc"] for g in GOLD])
def test_our_offsets_round_trip(rec):
    out = process_source(str(CORPUS / rec["doc"]), Options())
    assert "error" not in out
    text = _text(rec["doc"])
    assert out["chars"] == len(text)
    for m in out["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"], m


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    if not SHARED_SCORER.exists():
        pytest.skip(f"the scorer is not at {SHARED_SCORER}")
    out = tmp_path_factory.mktemp("eval") / "dev.jsonl"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(CORPUS), "-o", str(out), "--quiet"],
                   check=True, cwd=ROOT)
    spec = importlib.util.spec_from_file_location("score", SHARED_SCORER)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    res = subprocess.run([sys.executable, str(SHARED_SCORER), str(CORPUS / "gold.jsonl"), str(out), "--json"],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout)["summary"]


def test_overall_full_f1_above_floor(scored):
    assert scored["all"]["ALL"]["full_f1"] >= FULL_F1_FLOOR


@pytest.mark.parametrize("lang", ["fr", "en", "vi"])
def test_each_type_above_floor(scored, lang):
    for t, row in scored[f"lang:{lang}"].items():
        if t != "ALL" and row["gold"] >= 5:
            assert row["full_f1"] >= TYPE_FLOOR, (lang, t, row["full_f1"])


def test_long_texts_are_analysed_in_pieces_with_the_same_result():
    """A text longer than one piece gives the mentions of its parts, at their offsets,
    and a short reference still finds its full code in another piece."""
    from pipeline import document

    part = _text("fr/fr-seed.txt")
    text = part + "\n\n" + part.replace("Résolution n° 25-NQ/TW", "Résolution n° 25") + "\n\n" + part
    whole = document.analyse(text, "fr").mentions
    old = document.CHUNK_CHARS
    try:
        document.CHUNK_CHARS = len(part) + 10
        pieces = document.analyse(text, "fr").mentions
    finally:
        document.CHUNK_CHARS = old
    assert len(document.split_text(text, len(part) + 10)) == 3
    assert [m.model_dump() for m in pieces] == [m.model_dump() for m in whole]
    assert all(text[m.start:m.end] == m.text for m in pieces)
