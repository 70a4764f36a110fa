"""The batch command: one line per input, error records for bad input, safe output files."""
import json
import subprocess
import sys

import pytest

from .conftest import ROOT


def run_cli(*args, cwd=ROOT, input=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True,
                          input=input)


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in" / "fr"
    d.mkdir(parents=True)
    (d / "a.txt").write_text("Le 20 août 2013, la Résolution n° 25-NQ/TW ; 119/119 communes.", encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    # Valid UTF-8 ("août") around invalid bytes: a damaged UTF-8 file, not a legacy 8-bit one.
    (d / "d_bad_utf8.txt").write_bytes("Le 3 juin 2013, en août ".encode() + b"\xff\xfe\xfa" + b" fin")
    (d / "e.txt").write_text("En 2022, 2,36 %.", encoding="utf-8")
    return tmp_path / "in"


def test_bad_inputs_become_error_lines_and_the_batch_goes_on(folder, tmp_path):
    out = tmp_path / "out.jsonl"
    r = run_cli("extract", str(folder), "-o", str(out), "--quiet")
    assert r.returncode == 1, r.stderr
    recs = lines(out)
    assert [rec["source"].rsplit("/", 1)[1] for rec in recs] == ["a.txt", "b_empty.txt", "c_binary.txt",
                                                                 "d_bad_utf8.txt", "e.txt"]
    codes = [rec.get("error", {}).get("code") for rec in recs]
    assert codes == [None, "empty", "unsupported_format", "decode_error", None]
    for rec in recs:
        if "error" in rec:
            assert rec["source"] in rec["error"]["message"]
            assert rec["mentions"] == []
    good = recs[0]
    assert good["lang"] == "fr" and good["schema_version"] and len(good["sha256"]) == 64
    assert [m["type"] for m in good["mentions"]] == ["date", "doc_ref", "fraction"]
    assert all("pattern" in m for m in good["mentions"])


def test_existing_output_needs_overwrite_or_resume(folder, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_cli("extract", str(folder / "fr" / "a.txt"), "-o", str(out), "--quiet").returncode == 0
    r = run_cli("extract", str(folder / "fr" / "a.txt"), "-o", str(out), "--quiet")
    assert r.returncode == 2 and b"--overwrite" in r.stderr
    assert run_cli("extract", str(folder / "fr" / "a.txt"), "-o", str(out), "--quiet", "--overwrite").returncode == 0


def test_resume_skips_done_documents_and_cuts_a_torn_line(folder, tmp_path):
    out = tmp_path / "out.jsonl"
    full = tmp_path / "full.jsonl"
    run_cli("extract", str(folder), "-o", str(full), "--quiet")
    expected = full.read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "out.jsonl.partial"
    partial.write_text(expected[0] + "\n" + expected[1] + "\n" + expected[2][:20], encoding="utf-8")
    r = run_cli("extract", str(folder), "-o", str(out), "--quiet", "--resume")
    assert r.returncode == 1, r.stderr
    assert out.read_text(encoding="utf-8").splitlines() == expected
    assert not partial.exists()


def test_stdout_and_stdin(tmp_path):
    r = run_cli("extract", "-", "-o", "-", "--lang", "fr", "--quiet", input="La résolution 25-NQ/TW".encode())
    assert r.returncode == 0
    (rec,) = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert rec["source"] == "-" and rec["mentions"][0]["canonical"] == "25-NQ/TW"


def test_two_workers_give_identical_output(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run_cli("extract", "corpus", "-o", str(a), "--quiet").returncode == 0
    assert run_cli("extract", "corpus", "-o", str(b), "--quiet", "--workers", "2").returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_unknown_language_is_a_usage_error():
    r = run_cli("extract", "corpus", "-o", "-", "--lang", "de")
    assert r.returncode == 2 and b"invalid choice" in r.stderr


def test_library_rejects_unknown_language():
    from pipeline import extract
    with pytest.raises(ValueError, match="choose one of"):
        extract("texte", lang="de")


def test_explain_shows_pattern_and_dropped_candidates():
    r = run_cli("explain", "119/119 communes le 31/02/2021", "--lang", "fr", "--candidates")
    out = r.stdout.decode()
    assert r.returncode == 0
    assert "fraction.slash" in out and "[119/119 communes]{fraction}" in out
    assert "does not exist" in out


def test_patterns_check_command():
    r = run_cli("patterns", "check")
    assert r.returncode == 0, r.stderr
    assert b"0 failed" in r.stdout


def test_stdin_among_files_with_two_workers(folder):
    # Worker processes have no stdin: the parent reads it once and hands the bytes over.
    r = run_cli("extract", str(folder / "fr" / "e.txt"), "-", str(folder / "fr" / "a.txt"), "-o", "-",
                "--lang", "fr", "--quiet", "--workers", "2", input="La résolution 25-NQ/TW".encode())
    assert r.returncode == 0, r.stderr
    recs = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [rec["source"].rsplit("/", 1)[-1] for rec in recs] == ["e.txt", "-", "a.txt"]
    assert recs[1]["mentions"][0]["canonical"] == "25-NQ/TW" and recs[1]["encoding"] == "utf-8"


def test_max_bytes_option(folder, tmp_path):
    from pipeline.cli import byte_size
    assert [byte_size(v) for v in ("500", "2K", "64M", "64MiB", "1g")] == [500, 2048, 64 << 20, 64 << 20, 1 << 30]
    r = run_cli("extract", str(folder / "fr" / "a.txt"), "-o", "-", "--max-bytes", "20", "--quiet")
    assert r.returncode == 1
    (rec,) = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert rec["error"]["code"] == "too_large" and "above the limit of 20 " in rec["error"]["message"]
    r = run_cli("extract", str(folder), "-o", "-", "--max-bytes", "lots")
    assert r.returncode == 2 and b"not a size" in r.stderr


def test_resume_and_overwrite_exclude_each_other(folder, tmp_path):
    r = run_cli("extract", str(folder), "-o", str(tmp_path / "o.jsonl"), "--resume", "--overwrite")
    assert r.returncode == 2 and b"not allowed with argument" in r.stderr


def test_a_reader_that_goes_away_stops_the_run_quietly():
    """``vnextract extract corpus -o - | head``: exit 141, no traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", "corpus", "-o", "-", "--quiet"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100)
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert b"Traceback" not in proc.stderr.read()
    proc.stderr.close()
