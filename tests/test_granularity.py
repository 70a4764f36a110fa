"""``extract --granularity mention``: one line per mention, carrying its document's identity."""
import json

import pytest

from pipeline.batch import Options, UsageError, record_lines, run
from pipeline.cli import main

from .conftest import ROOT


def _lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_mention_lines_are_the_records_mentions(corpus_jsonl, corpus_mentions_jsonl):
    recs = _lines(corpus_jsonl)
    rows = _lines(corpus_mentions_jsonl)
    assert len(rows) == sum(len(r["mentions"]) for r in recs) > 0
    expected = [{"source": r["source"], "sha256": r["sha256"], "lang": r["lang"],
                 "schema_version": r["schema_version"], "index": i, **m}
                for r in recs for i, m in enumerate(r["mentions"])]
    assert rows == expected
    assert list(rows[0])[:5] == ["source", "sha256", "lang", "schema_version", "index"]


def test_error_record_stays_one_line_and_empty_document_gives_none(tmp_path):
    d = tmp_path / "in" / "fr"
    d.mkdir(parents=True)
    (d / "a.txt").write_text("Le 20 août 2013, la Résolution n° 25-NQ/TW ; 119/119 communes.", encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c.txt").write_text("Rien à signaler ici.", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "--quiet", "--granularity", "mention"]) == 1
    rows = _lines(out)
    assert [(x["source"].rsplit("/", 1)[1], x.get("type"), x.get("index")) for x in rows] == [
        ("a.txt", "date", 0), ("a.txt", "doc_ref", 1), ("a.txt", "fraction", 2), ("b_empty.txt", None, None)]
    err = rows[-1]
    assert err["error"]["code"] == "empty" and len(err["sha256"]) == 64 and "mentions" not in err


def test_mention_lines_do_not_carry_the_document_text():
    rec = {"source": "s", "sha256": "h", "lang": "fr", "schema_version": "1.0.0", "text": "2022",
           "mentions": [{"type": "date", "start": 0, "end": 4, "text": "2022", "pattern": "p", "value": "2022"}]}
    (row,) = record_lines(rec, "mention")
    assert row["text"] == "2022" and row["index"] == 0 and "mentions" not in row
    assert record_lines(rec, "document") == [rec]
    with pytest.raises(ValueError):
        record_lines(rec, "sentence")


def test_stdout_and_resume_at_mention_granularity(tmp_path, capsys):
    src = str(ROOT / "corpus" / "en")
    assert main(["extract", src, "-o", "-", "--quiet", "--granularity", "mention"]) == 0
    expected = capsys.readouterr().out
    # an interrupted run: the first document's lines plus a torn line
    lines = expected.splitlines()
    first_doc = [x for x in lines if json.loads(x)["source"] == json.loads(lines[0])["source"]]
    out = tmp_path / "m.jsonl"
    (tmp_path / "m.jsonl.partial").write_text("\n".join(first_doc) + "\n" + lines[len(first_doc)][:30],
                                              encoding="utf-8")
    assert main(["extract", src, "-o", str(out), "--granularity", "mention", "--resume"]) == 0
    assert out.read_text(encoding="utf-8") == expected
    assert "1 already done" in capsys.readouterr().err


def test_unknown_granularity(tmp_path):
    with pytest.raises(UsageError):
        run(["corpus"], str(tmp_path / "x.jsonl"), Options(granularity="sentence"))
    with pytest.raises(SystemExit) as e:
        main(["extract", "corpus", "-o", "-", "--granularity", "sentence"])
    assert e.value.code == 2
