"""Long documents (more than one piece of ``document.CHUNK_CHARS`` characters) are written
piece by piece to a spill file and copied into the output: the same bytes as the record
built in memory, for both granularities, with and without the text.

``CHUNK_CHARS`` is made small here, so that the corpus texts take that path.
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import Input, Options, Spill, iter_inputs, process_input, record_lines, run

document = importlib.import_module("pipeline.document")
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SMALL = 1000  # characters per piece in these tests: most corpus texts have several

EARLY = "Vu la Résolution n° 25, la Décision n° 77 et la Directive n° 99 du Bureau politique.\n\n"
LATE = "\n\nRappel : la Décision n° 77-QĐ/TW du 3 juin 2013 du Bureau politique.\n"


def in_memory(inputs: list[Input], opts: Options) -> bytes:
    """The lines of today's in-memory path: the whole record, then ``record_lines``."""
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for inp in inputs for r in record_lines(process_input(inp, opts), opts.granularity)).encode()


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(document, "CHUNK_CHARS", SMALL)


@pytest.fixture
def streamed(monkeypatch):
    """Counts the documents that take the spill-file path (in this process)."""
    calls = []
    real = batch._stream_document

    def counting(f, path, source, loaded, opts):
        calls.append(source)
        return real(f, path, source, loaded, opts)

    monkeypatch.setattr(batch, "_stream_document", counting)
    return calls


def late_code_text() -> str:
    """A text whose first short references are resolved (or not) only by a later piece."""
    fr = "".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "fr").glob("*.txt")))
    assert "n° 77" not in fr and "77-Q" not in fr and "n° 99" not in fr
    return EARLY + fr + LATE + fr[:10_000] + EARLY


@pytest.mark.parametrize("granularity", ["document", "mention"])
@pytest.mark.parametrize("with_text", [False, True])
@pytest.mark.parametrize("workers", [1, 2])
def test_corpus_through_the_spill_path_gives_the_in_memory_bytes(small_pieces, streamed, tmp_path, granularity,
                                                                   with_text, workers):
    opts = Options(lang="auto", with_text=with_text, granularity=granularity)
    inputs = list(iter_inputs([str(CORPUS)]))
    out = tmp_path / "out.jsonl"
    run([str(CORPUS)], str(out), opts, workers=workers)
    assert out.read_bytes() == in_memory(inputs, opts)
    if workers == 1:
        long = [i.source for i in inputs if len(Path(i.source).read_text(encoding="utf-8")) > SMALL]
        assert len(long) > 10 and streamed == long
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # the spill folder is gone


@pytest.mark.parametrize("granularity", ["document", "mention"])
@pytest.mark.parametrize("with_text", [False, True])
def test_a_short_reference_takes_a_full_code_found_only_in_a_later_piece(small_pieces, tmp_path, granularity,
                                                                          with_text):
    path = tmp_path / "fr" / "late.txt"
    path.parent.mkdir()
    text = late_code_text()
    path.write_text(text, encoding="utf-8")
    opts = Options(lang="fr", with_text=with_text, granularity=granularity)
    spill_dir = tmp_path / "spill"
    spill_dir.mkdir()

    o = batch._outcome(Input(str(path)), opts, str(spill_dir))
    assert isinstance(o.lines, Spill) and Path(o.lines.path).parent == spill_dir
    # The first "Décision n° 77" waits for the full code of a later piece; the last finds it known.
    raw = Path(o.lines.path).read_bytes()
    patched = [json.loads(b"{" + raw[p[i]:p[i] + p[i + 1]]) for p in [o.lines.patches]
               for i in range(0, len(p), 3)]
    assert ("Décision n° 77", EARLY.index("Décision"), None) in [(m["text"], m["start"], m["canonical"])
                                                                  for m in patched]
    assert all(m["pattern"] == "doc_ref.short" and m["start"] < len(EARLY) for m in patched)
    out = tmp_path / "out.jsonl"
    with out.open("w", encoding="utf-8") as f:
        batch._write_outcome(o, f, cut_back=True)
    assert not any(spill_dir.iterdir())
    assert out.read_bytes() == in_memory([Input(str(path))], opts)
    assert batch._outcome(Input(str(path)), opts).lines == out.read_text(encoding="utf-8")  # no spill folder

    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    mentions = lines[0]["mentions"] if granularity == "document" else lines
    short = {(m["text"], m["start"]): m["canonical"] for m in mentions if m["pattern"] == "doc_ref.short"}
    end = len(text) - len(EARLY)
    assert short[("Décision n° 77", EARLY.index("Décision"))] == "77-QD/TW"
    assert short[("Décision n° 77", end + EARLY.index("Décision"))] == "77-QD/TW"
    assert short[("Directive n° 99", EARLY.index("Directive"))] is None  # no full code anywhere
    if granularity == "document":
        rec = lines[0]
        refs = {r["canonical"]: r for r in rec["references"]}
        assert refs["77-QD/TW"]["count"] == 3
        assert refs["77-QD/TW"]["offsets"][0][0] == EARLY.index("Décision")
        assert rec["rejected"] == process_input(Input(str(path)), opts)["rejected"] > 0
        assert len(document.split_text(text, SMALL)) > 10


def test_a_long_document_to_stdout(small_pieces, tmp_path, capsys):
    path = tmp_path / "late.txt"
    path.write_text(late_code_text(), encoding="utf-8")
    opts = Options(lang="fr", granularity="mention")
    run([str(path)], "-", opts)
    assert capsys.readouterr().out.encode() == in_memory([Input(str(path))], opts)


def test_an_extraction_error_in_a_later_piece_is_the_documents_error_record(small_pieces, tmp_path, monkeypatch):
    path = tmp_path / "late.txt"
    path.write_text(late_code_text(), encoding="utf-8")

    def failing(text, lang):
        yield from list(document.iter_piece_analyses(text, lang))[:3]
        raise TimeoutError("pattern too slow")

    monkeypatch.setattr(batch, "iter_piece_analyses", failing)
    out = tmp_path / "out.jsonl"
    summary = run([str(path)], str(out), Options(lang="fr"))
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["error"] == {"code": "extract_error", "message": f"{path}: TimeoutError: pattern too slow"}
    assert len(rec["sha256"]) == 64 and summary.failed == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["late.txt", "out.jsonl"]


def test_an_interrupted_copy_leaves_whole_lines_and_no_spill_file(small_pieces, tmp_path, monkeypatch):
    """Ctrl-C while a long document's spill file is copied: the ``.partial`` file is cut back
    to the lines before it, the spill folder is removed, and --resume completes the run."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(late_code_text(), encoding="utf-8")
    opts = Options(lang="fr", granularity="mention")
    whole = tmp_path / "whole.jsonl"
    run([str(folder)], str(whole), opts)
    first = in_memory([Input(str(folder / "a.txt"))], opts)
    assert whole.read_bytes() == first + in_memory([Input(str(folder / n)) for n in ("b.txt", "c.txt")], opts)

    real = batch.copy_spill
    copies = []

    def interrupted(spill, out):
        copies.append(spill.path)
        if len(copies) == 2:
            out.write('{"source":"half a line')
            raise KeyboardInterrupt
        real(spill, out)

    monkeypatch.setattr(batch, "copy_spill", interrupted)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run([str(folder)], str(out), opts, workers=2)
    assert (tmp_path / "out.jsonl.partial").read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl.partial", "whole.jsonl"]
    monkeypatch.setattr(batch, "copy_spill", real)
    summary = run([str(folder)], str(out), opts, resume=True)
    assert summary.skipped == 1 and out.read_bytes() == whole.read_bytes()


def test_pieces_are_cut_one_at_a_time():
    text = late_code_text() * 3
    pieces = document.iter_pieces(text, SMALL)
    assert not isinstance(pieces, list)
    assert list(pieces) == document.split_text(text, SMALL)
    assert "".join(p for _, p in document.split_text(text, SMALL)) == text


def test_a_killed_runs_spill_folder_is_removed_by_the_next_run(tmp_path):
    stale = tmp_path / ".out.jsonl.spill-abc123"
    stale.mkdir()
    (stale / "doc-1.jsonl").write_text('{"source":', encoding="utf-8")
    other = tmp_path / ".other.jsonl.spill-abc123"
    other.mkdir()
    run([str(CORPUS / "fr" / "fr-seed.txt")], str(tmp_path / "out.jsonl"), Options(lang="fr"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.jsonl.spill-abc123", "out.jsonl"]
