"""The spaCy component: registered by entry point, same mentions as the command line."""
import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from pipeline.read import read_document

from .conftest import ROOT

BLANK_CONFIG = {"vi": {"nlp": {"tokenizer": {"use_pyvi": False}}}}  # spaCy's vi tokenizer without pyvi


@pytest.fixture(scope="module", autouse=True)
def spacy():
    return pytest.importorskip("spacy", reason="spaCy is not installed (pip install -e '.[spacy]')")


def blank(lang):
    import spacy
    return spacy.blank(lang, config=BLANK_CONFIG.get(lang, {}))


@pytest.fixture(scope="module")
def pipelines():
    out = {}
    for lang in ("fr", "en", "vi"):
        nlp = blank(lang)
        nlp.add_pipe("vnextract_mentions")
        out[lang] = nlp
    return out


def test_factory_is_an_entry_point():
    (ep,) = [e for e in entry_points(group="spacy_factories") if e.name == "vnextract_mentions"]
    assert ep.value == "pipeline.spacy_component:make_vnextract_mentions"


def test_add_pipe_works_without_importing_vnextract():
    code = ("import spacy, sys\n"
            "assert 'pipeline.spacy_component' not in sys.modules\n"
            "nlp = spacy.blank('en'); nlp.add_pipe('vnextract_mentions')\n"
            "doc = nlp('Resolution No. 25-NQ/TW of June 3, 2013')\n"
            "print([(s.text, s.label_, s._.vnextract.canonical if s.label_ == 'doc_ref' else None) "
            "for s in doc.spans['vnextract']])\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "tests", capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[('25-NQ/TW', 'doc_ref', '25-NQ/TW'), ('June 3, 2013', 'date', None)]"


def test_core_does_not_need_spacy():
    code = ("import sys; sys.modules['spacy'] = None\n"
            "import pipeline, pipeline.batch, pipeline.cli, pipeline.report\n"
            "assert [m.type for m in pipeline.extract('le 3 juin 2013', 'fr')] == ['date']\n"
            "try:\n    import pipeline.spacy_component\nexcept ImportError as e:\n    print(e)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "vnextract[spacy]" in r.stdout


def test_corpus_mentions_equal_the_cli(pipelines, corpus_jsonl):
    recs = [json.loads(x) for x in corpus_jsonl.read_text(encoding="utf-8").splitlines()]
    inexact = 0
    for rec in recs:
        text = read_document(ROOT / rec["source"]).text
        doc = pipelines[rec["lang"]](text)
        spans = list(doc.spans["vnextract"])
        report = doc.user_data["vnextract"]
        assert not report["unaligned"], rec["source"]
        got = [s._.vnextract.model_dump(mode="json") for s in spans]
        assert got == rec["mentions"], rec["source"]
        assert [s.label_ for s in spans] == [m["type"] for m in rec["mentions"]]
        assert report["exact"] + len(report["inexact"]) == len(spans) == len(rec["mentions"])
        for s, m in zip(spans, rec["mentions"], strict=True):
            # expand: the span covers the mention, exactly unless listed as inexact
            assert s.start_char <= m["start"] and m["end"] <= s.end_char
            assert ((s.start_char, s.end_char) != (m["start"], m["end"])) == any(
                x["start"] == m["start"] and x["end"] == m["end"] for x in report["inexact"])
        inexact += len(report["inexact"])
    assert inexact > 0  # vi without pyvi splits on spaces only: "2013," is one token


def test_doc_round_trips_through_bytes(pipelines):
    from spacy.tokens import Doc
    nlp = pipelines["vi"]
    doc = nlp("Nghị quyết số 25-NQ/TW ngày 20/8/2013, tăng 6,5%, 119/119 xã.")
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [(s.text, s._.vnextract) for s in back.spans["vnextract"]] == \
        [(s.text, s._.vnextract) for s in doc.spans["vnextract"]]
    assert back.user_data["vnextract"]["inexact"] == doc.user_data["vnextract"]["inexact"]


def test_other_spans_have_no_mention(pipelines):
    doc = pipelines["fr"]("le 3 juin 2013")
    assert doc[0:1]._.vnextract is None


def test_language_and_alignment_are_checked(spacy):
    nlp = spacy.blank("de")
    with pytest.raises(ValueError, match="choose one of"):
        nlp.add_pipe("vnextract_mentions")
    nlp = spacy.blank("xx")
    nlp.add_pipe("vnextract_mentions", config={"lang": "fr", "alignment_mode": "strict"})
    doc = nlp("le 3 juin 2013,")
    assert [s.text for s in doc.spans["vnextract"]] == ["3 juin 2013"]
    with pytest.raises(ValueError, match="alignment_mode"):
        spacy.blank("fr").add_pipe("vnextract_mentions", config={"alignment_mode": "loose"})


def test_strict_alignment_reports_what_it_cannot_place():
    nlp = blank("vi")
    nlp.add_pipe("vnextract_mentions", config={"alignment_mode": "strict"})
    doc = nlp("tăng 6,5%, ngày 20/8/2013")
    report = doc.user_data["vnextract"]
    assert [u["type"] for u in report["unaligned"]] == ["percent"]
    assert len(doc.spans["vnextract"]) == report["exact"] == 1
