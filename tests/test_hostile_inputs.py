"""Hostile inputs in one batch: each yields exactly one line, its record or an error record
with a stable code and a message naming the file, and the batch goes on."""
from __future__ import annotations

import codecs
import importlib
import io
import json
import os
import random
import unicodedata
import zipfile
from pathlib import Path

import pytest

from pipeline import batch, read
from pipeline.batch import Input, Options, iter_inputs, process_input, run

from .makedocs import make_docx, make_pdf

FR = "Le 20 août 2013, la Résolution n° 25-NQ/TW a été adoptée ; 119/119 communes."
FR_FOUND = [("date", "20 août 2013"), ("doc_ref", "25-NQ/TW"), ("fraction", "119/119 communes")]
VI = "Ngày 20 tháng 8 năm 2013, Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương; 119/119 xã đạt chuẩn."
VI_FOUND = [("date", "Ngày 20 tháng 8 năm 2013"), ("doc_ref", "25-NQ/TW"), ("fraction", "119/119 xã")]
MAX_BYTES = 1 << 20  # the run's --max-bytes

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
            out.append((base + "".join(c for c in d if c in _TONES)).encode("cp1258"))
    return b"".join(out)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


SCRIPT_HTML = f"""<!DOCTYPE html><html><head><title>Titre 98-NQ/TW</title>
<style>.x {{ content: "97-NQ/TW" }}</style><script>var code = "99-NQ/TW";</script></head>
<body><header>En-tête 96-NQ/TW</header><nav><a href="/">Accueil 95-NQ/TW</a></nav>
<!-- commentaire 94-NQ/TW -->
<h1>Compte rendu</h1><p>{FR}</p>
<script type="application/ld+json">{{"id": "99-NQ/TW"}}</script><div hidden>caché 93-NQ/TW</div>
<table><tr><th>Province</th><th>Rang</th></tr><tr><td>Lào Cai</td><td>25e rang sur 63</td></tr></table>
<footer>Pied 92-NQ/TW</footer></body></html>"""

PDF_TEXT = ["Le 20 août 2013, la Résolution n° 25-NQ/TW", "a été adoptée ; 119/119 communes."]

# relative path -> (bytes, expected). An expected error is {"code", "says"}; a record is {"encoding", "found"}
# (the exact (type, text) of its mentions) and optionally "text" (the exact extracted text).
CASES: dict[str, tuple[bytes, dict]] = {
    "fr/01 empty.txt": (b"", {"code": "empty", "says": "empty file"}),
    "fr/02 whitespace.txt": (b" \t\r\n \n\x0c ", {"code": "empty", "says": "no text"}),
    "fr/03 bom only.txt": (codecs.BOM_UTF8, {"code": "empty", "says": "no text"}),
    "misc/04 garbage.txt": (random.Random(7).randbytes(4096), {"code": "unsupported_format", "says": "looks binary"}),
    "misc/05 image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), {"code": "unsupported_format", "says": "a PNG image"}),
    "fr/06 bad utf8.txt": (FR.encode() + b"\xff\xfe" + b" suite",
                           {"code": "decode_error", "says": f"invalid UTF-8 at byte {len(FR.encode())}"}),
    "fr/07 utf16le bom.txt": (codecs.BOM_UTF16_LE + FR.encode("utf-16-le"), {"encoding": "utf-16", "found": FR_FOUND, "text": FR}),
    "fr/08 utf16be bom.txt": (codecs.BOM_UTF16_BE + FR.encode("utf-16-be"), {"encoding": "utf-16", "found": FR_FOUND, "text": FR}),
    "fr/09 utf16le no bom.txt": (FR.encode("utf-16-le"), {"encoding": "utf-16-le", "found": FR_FOUND, "text": FR}),
    "fr/10 utf32 bom.txt": (FR.encode("utf-32"), {"encoding": "utf-32", "found": FR_FOUND, "text": FR}),
    "fr/11 utf8 bom.txt": (codecs.BOM_UTF8 + FR.encode(), {"encoding": "utf-8-sig", "found": FR_FOUND, "text": FR}),
    "fr/12 windows-1252.txt": ((FR + " Coût : 88 millions d'euros, « déjà » payés.").encode("cp1252"),
                               {"encoding": "cp1252", "found": [*FR_FOUND, ("money", "88 millions d'euros")]}),
    # Offsets index the text as decoded: Windows-1258's tone marks stay combining characters.
    "vi/13 windows-1258.txt": (cp1258(VI), {"encoding": "cp1258", "text": cp1258(VI).decode("cp1258"),
                                            "found": [(t, cp1258(s).decode("cp1258")) for t, s in VI_FOUND]}),
    "vi/14 nfd crlf.txt": (unicodedata.normalize("NFD", VI.replace("; ", ";\n")).replace("\n", "\r\n").encode(),
                           {"encoding": "utf-8", "found": [(t, unicodedata.normalize("NFD", s)) for t, s in VI_FOUND]}),
    "fr/15 a few nul bytes.txt": (FR.replace("; ", ";\x00 ").encode(),
                                  {"encoding": "utf-8", "found": FR_FOUND, "text": FR.replace("; ", ";\x00 ")}),
    "misc/16 nul padding.txt": (FR.encode() + b"\x00" * 4000, {"code": "unsupported_format", "says": "looks binary"}),
    "fr/17 Nghị quyết số 25 (bản sao).txt": (FR.encode(), {"encoding": "utf-8", "found": FR_FOUND}),
    "fr/18 corrupt.docx": (make_docx([FR])[:1500], {"code": "unreadable", "says": "not a readable .docx"}),
    "fr/19 broken xml.docx": (zip_bytes({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}),
                              {"code": "unreadable", "says": "not a readable .docx"}),
    "fr/20 encrypted.pdf": (make_pdf(PDF_TEXT, password="secret"), {"code": "unreadable", "says": "a password is needed"}),
    "fr/21 scanned.pdf": (make_pdf(image_only=True), {"code": "unsupported_format", "says": "without a text layer"}),
    "fr/22 script.html": (SCRIPT_HTML.encode(), {
        "encoding": "html:utf-8", "found": [*FR_FOUND, ("rank", "25e rang sur 63")],
        "text": f"Compte rendu\n{FR}\nProvince | Rang\nLào Cai | 25e rang sur 63"}),
    "fr/23 not a pdf.pdf": (FR.encode(), {"code": "unreadable", "says": "not a readable PDF"}),
    "misc/24 archive.txt": (zip_bytes({"a.txt": FR.encode()}), {"code": "unsupported_format", "says": "ZIP archive"}),
    "misc/25 word97.txt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), {"code": "unsupported_format", "says": "old Office"}),
    "misc/26 rich.txt": (b"{\\rtf1\\ansi " + FR.encode() + b"}", {"code": "unsupported_format", "says": "RTF"}),
    "fr/27 ones.txt": (b"1/1/1/" * 100_000, {"encoding": "utf-8", "found": []}),
    "fr/28 deep.html": (("<div>" * 20_000 + FR + "</div>" * 20_000).encode(),
                        {"encoding": "html:utf-8", "found": FR_FOUND, "text": FR}),
    "fr/29 line\nbreak.txt": (FR.encode(), {"encoding": "utf-8", "found": FR_FOUND}),
    "fr/30 declared.html": (f'<html><head><meta charset="windows-1252"></head><body><p>{FR}</p></body></html>'.encode("cp1252"),
                            {"encoding": "html:cp1252", "found": FR_FOUND, "text": FR}),
    "fr/31 only script.html": (b"<html><body><script>var a = '25-NQ/TW';</script></body></html>",
                               {"code": "empty", "says": "no text"}),
    "fr/32 report.docx": (make_docx([FR], [["Province", "Rang"], ["Lào Cai", "25e rang sur 63"]], ["Fin."]), {
        "encoding": "docx", "found": [*FR_FOUND, ("rank", "25e rang sur 63")],
        "text": f"{FR}\nProvince | Rang\nLào Cai | 25e rang sur 63\nFin."}),
    "fr/33 report.pdf": (make_pdf(PDF_TEXT), {"encoding": "pdf", "found": FR_FOUND, "text": "\n".join(PDF_TEXT) + "\n"}),
    "fr/34 html in txt.txt": (f"\n  <!DOCTYPE html><html><body><p>{FR}</p><script>x='99-NQ/TW'</script></body></html>".encode(),
                              {"encoding": "html:utf-8", "found": FR_FOUND, "text": FR}),
    "fr/35 too large.txt": (b"a" * (MAX_BYTES + 1), {"code": "too_large",
                                                    "says": f"{MAX_BYTES + 1} bytes, above the limit of {MAX_BYTES}"}),
    "fr/36 mixed encodings.txt": (FR.encode() + " et é".encode("cp1252"), {"code": "decode_error", "says": "mixed encodings"}),
}
# Entries that are no plain file: made in the folder by the fixture.
SPECIAL = {
    "misc/90 fifo.txt": {"code": "unsupported_format", "says": "a named pipe, not a regular file"},
    "misc/91 dangling.txt": {"code": "unreadable", "says": "No such file or directory"},
    "misc/92 loop.txt": {"code": "unreadable", "says": "Too many levels of symbolic links"},
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    for rel, (data, _) in CASES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    misc = root / "misc"
    os.mkfifo(misc / "90 fifo.txt")
    (misc / "91 dangling.txt").symlink_to(misc / "nowhere.txt")
    (misc / "92 loop.txt").symlink_to(misc / "92 loop.txt")
    (misc / "loop").symlink_to(root)  # a folder loop: symlinked folders are not followed
    out = root.parent / (root.name + ".jsonl")
    summary = run([str(root)], str(out), Options(with_text=True, max_bytes=MAX_BYTES))
    lines = out.read_text(encoding="utf-8").splitlines()
    records = {Path(json.loads(x)["source"]).relative_to(root).as_posix(): json.loads(x) for x in lines}
    return root, lines, records, summary


def test_every_input_yields_exactly_one_line_in_order(hostile):
    root, lines, records, summary = hostile
    expected = sorted([*CASES, *SPECIAL], key=lambda rel: str(root / rel))
    assert list(records) == expected
    assert len(lines) == len(expected)
    errors = sum("code" in e for e in [*(c[1] for c in CASES.values()), *SPECIAL.values()])
    assert (summary.documents, summary.failed) == (len(expected), errors)


@pytest.mark.parametrize("rel", [*CASES, *SPECIAL], ids=lambda rel: rel.replace("\n", "\\n"))
def test_outcome(hostile, rel):
    root, _, records, _ = hostile
    rec = records[rel]
    want = SPECIAL.get(rel) or CASES[rel][1]
    assert rec["source"] == str(root / rel)
    if "code" in want:
        assert rec["error"]["code"] == want["code"]
        assert rec["error"]["message"].startswith(rec["source"] + ": ")
        assert want["says"] in rec["error"]["message"]
        assert rec["mentions"] == []
        return
    assert "error" not in rec, rec.get("error")
    assert rec["encoding"] == want["encoding"]
    assert [(m["type"], m["text"]) for m in rec["mentions"]] == want["found"]
    text = rec["text"]
    assert rec["chars"] == len(text)
    for m in rec["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    if "text" in want:
        assert text == want["text"]


def test_script_style_comments_and_page_furniture_are_not_extracted(hostile):
    rec = hostile[2]["fr/22 script.html"]
    for fake in ("99-NQ/TW", "98-NQ/TW", "97-NQ/TW", "96-NQ/TW", "95-NQ/TW", "94-NQ/TW", "93-NQ/TW", "92-NQ/TW"):
        assert fake not in rec["text"]
    assert [r["canonical"] for r in rec["references"]] == ["25-NQ/TW"]


def test_legacy_and_unicode_forms_give_the_same_values(hostile):
    records = hostile[2]

    def values(rec):
        return [(m["type"], m.get("value"), m.get("canonical"), m.get("numerator")) for m in rec["mentions"]]

    assert values(records["vi/13 windows-1258.txt"]) == values(records["vi/14 nfd crlf.txt"])
    assert values(records["fr/07 utf16le bom.txt"]) == values(records["fr/17 Nghị quyết số 25 (bản sao).txt"])


def test_nfd_and_crlf_read_exactly_as_composed_text(tmp_path):
    (tmp_path / "vi").mkdir()
    composed, decomposed = tmp_path / "vi" / "nfc.txt", tmp_path / "vi" / "nfd.txt"
    text = "\n".join([VI, "Năm 2022, tỷ lệ đạt 95,1%; tăng 2,36% so với năm 2021.", "Kết luận số 57-KL/TW."])
    composed.write_text(text, encoding="utf-8")
    decomposed.write_bytes(unicodedata.normalize("NFD", text).replace("\n", "\r\n").encode())
    out = tmp_path / "out.jsonl"
    run([str(composed), str(decomposed)], str(out), Options(with_text=True))
    nfc, nfd = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    assert nfd["text"] == unicodedata.normalize("NFD", text).replace("\n", "\r\n")
    for m in nfd["mentions"]:
        assert nfd["text"][m["start"]:m["end"]] == m["text"]

    def comparable(rec):
        return [{k: (unicodedata.normalize("NFC", v) if isinstance(v, str) else v)
                 for k, v in m.items() if k not in ("start", "end")} for m in rec["mentions"]]

    assert comparable(nfd) == comparable(nfc)
    assert len(nfc["mentions"]) >= 6


def test_a_file_deleted_between_listing_and_reading(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FR, encoding="utf-8")
    listed = batch.iter_inputs

    def list_then_delete(*args, **kwargs):
        inputs = list(listed(*args, **kwargs))
        (tmp_path / "a.txt").unlink()
        return inputs

    monkeypatch.setattr(batch, "iter_inputs", list_then_delete)
    out = tmp_path / "out.jsonl"
    summary = run([str(tmp_path)], str(out), Options())
    gone, kept = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    assert gone["source"] == str(tmp_path / "a.txt")
    assert gone["error"] == {"code": "unreadable", "message": f"{tmp_path / 'a.txt'}: No such file or directory"}
    assert "error" not in kept and (summary.documents, summary.failed) == (2, 1)


def _denied(path):
    return PermissionError(13, "Permission denied", str(path))


def test_a_folder_that_cannot_be_listed_is_an_error_record(tmp_path, monkeypatch):
    # Tests run as root, where chmod 000 denies nothing: the denial is simulated where os.walk lists.
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "open.txt").write_text(FR, encoding="utf-8")
    scandir = os.scandir

    def guarded(path="."):
        if Path(path) == locked:
            raise _denied(path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    listed = list(iter_inputs([str(tmp_path)]))
    assert [i.source for i in listed] == [str(locked), str(tmp_path / "open.txt")]
    rec = process_input(listed[0], Options())
    assert rec["error"] == {"code": "unreadable",
                            "message": f"{locked}: cannot list this folder: Permission denied"}


def test_a_file_that_cannot_be_opened_is_an_error_record(tmp_path, monkeypatch):
    target = tmp_path / "secret.txt"
    target.write_text(FR, encoding="utf-8")
    real_open = open

    def guarded(path, *args, **kwargs):
        if Path(path) == target:
            raise _denied(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(read, "open", guarded, raising=False)
    rec = process_input(Input(str(target)), Options())
    assert rec["error"] == {"code": "unreadable", "message": f"{target}: Permission denied"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and lists everything whatever the mode bits; "
                                               "the two tests above simulate the denial instead")
def test_real_permissions(tmp_path):
    locked, secret = tmp_path / "locked", tmp_path / "secret.txt"
    locked.mkdir()
    secret.write_text(FR, encoding="utf-8")
    locked.chmod(0)
    secret.chmod(0)
    try:
        listed = list(iter_inputs([str(tmp_path)]))
        assert [process_input(i, Options())["error"]["code"] for i in listed] == ["unreadable", "unreadable"]
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)


def test_a_ten_megabyte_line_is_one_record_and_the_batch_goes_on(tmp_path, monkeypatch):
    """A 10 MB line is read whole, and the extractor's time budget turns into this document's error.

    The budget is the regex timeout per pattern and piece of text (1 s; long texts are analysed in
    pieces of 200,000 characters, see test_corpus). Here the text stays one piece and the budget is
    50 ms, which no full scan of 10 MB meets, while the small file needs a fraction of it: the
    outcome does not depend on the machine's speed.
    """
    stage = importlib.import_module("pipeline.extract")  # the package's `extract` attribute is the function
    monkeypatch.setattr(stage, "REGEX_TIMEOUT", 0.05)
    monkeypatch.setattr(importlib.import_module("pipeline.document"), "CHUNK_CHARS", 20_000_000)
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_bytes(b"lorem ipsum 2013 " * (10_000_000 // 17) + b"x" * (10_000_000 % 17))
    small.write_text(FR, encoding="utf-8")
    assert len(read.read_document(big).text) == 10_000_000
    out = tmp_path / "out.jsonl"
    run([str(big), str(small)], str(out), Options(lang="fr"))
    first, second = (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    assert first["error"]["code"] == "extract_error"
    assert first["error"]["message"].startswith(f"{big}: PatternTimeout: pattern ")
    assert "exceeded 0.05s" in first["error"]["message"]
    assert len(first["sha256"]) == 64
    assert [(m["type"], m["text"]) for m in second["mentions"]] == FR_FOUND


def test_include_and_exclude_globs(tmp_path):
    for rel in ["a.txt", "b.TXT", "c.html", "d.docx", "e.pdf", "f.md", "drafts/g.txt", "x/drafts/h.txt",
                "x/i.htm", ".git/j.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(FR, encoding="utf-8")

    def names(include=batch.DEFAULT_INCLUDE, exclude=()):
        return [Path(i.source).relative_to(tmp_path).as_posix() for i in iter_inputs([str(tmp_path)], include, exclude)]

    assert names() == [".git/j.txt", "a.txt", "b.TXT", "c.html", "d.docx", "drafts/g.txt", "e.pdf",
                       "x/drafts/h.txt", "x/i.htm"]
    assert names(include=["*.md", "*.htm"]) == ["f.md", "x/i.htm"]
    assert names(include=["*.txt"], exclude=["drafts", ".git"]) == ["a.txt", "b.TXT"]
    assert names(include=["x/*"]) == ["x/drafts/h.txt", "x/i.htm"]
    assert names(include=["*.txt"], exclude=["drafts/*"]) == [".git/j.txt", "a.txt", "b.TXT", "x/drafts/h.txt"]
    # A file named on the command line is taken whatever its name.
    assert [i.source for i in iter_inputs([str(tmp_path / "f.md")], ["*.txt"])] == [str(tmp_path / "f.md")]
