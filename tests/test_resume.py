"""Interrupted runs: a killed batch resumed gives the output of one uninterrupted run, byte for byte."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pipeline.batch import Options, run
from pipeline.cli import main

from .conftest import ROOT

FILES = 120


def document(i: int) -> str:
    sentence = (f"Le {1 + i % 28} août {2000 + i % 25}, la Résolution n° {i + 1}-NQ/TW a été adoptée ; "
                f"{i + 1}/{i + 4} communes, {i % 100},5 % des ménages. ")
    return f"Document {i}.\n" + sentence * 6


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    folder = root / "fr"
    folder.mkdir()
    for i in range(FILES):
        (folder / f"doc-{i:03d}.txt").write_text(document(i), encoding="utf-8")
    (folder / "doc-050-empty.txt").write_bytes(b"")
    (folder / "doc-120-binary.txt").write_bytes(bytes(range(256)) * 4)
    return root


def cli(*args):
    return [sys.executable, "-m", "pipeline", "extract", *args, "--quiet"]


def test_killed_workers_then_resume_equal_one_uninterrupted_run(many, tmp_path):
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    done = subprocess.run(cli(str(many), "-o", str(whole), "--workers", "2"), cwd=ROOT, capture_output=True)
    assert done.returncode == 1, done.stderr  # the two bad files
    expected = whole.read_bytes()
    assert expected.count(b"\n") == FILES + 2

    proc = subprocess.Popen(cli(str(many), "-o", str(out), "--workers", "2"), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if partial.exists() and partial.read_bytes().count(b"\n") >= 20:
                os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-batch
                break
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert not out.exists()
    written = partial.read_bytes()
    assert 20 <= written.count(b"\n") < FILES + 2
    assert expected.startswith(written[:written.rfind(b"\n") + 1])

    again = subprocess.run(cli(str(many), "-o", str(out), "--workers", "2", "--resume"), cwd=ROOT,
                           capture_output=True)
    assert again.returncode == 1, again.stderr
    assert out.read_bytes() == expected
    assert not partial.exists()


def test_resume_of_a_complete_output_processes_nothing(tmp_path):
    (tmp_path / "a.txt").write_text(document(1), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(tmp_path), "-o", str(out), "--quiet"]) == 1
    before = out.read_bytes()
    summary = run([str(tmp_path)], str(out), Options(), resume=True)
    assert (summary.documents, summary.skipped, summary.skipped_failed) == (0, 2, 1)
    assert out.read_bytes() == before
    # The error record left by the first run still sets the exit status.
    assert main(["extract", str(tmp_path), "-o", str(out), "--quiet", "--resume"]) == 1


def test_resume_replaces_the_line_of_a_changed_file_and_keeps_foreign_lines(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(document(1), encoding="utf-8")
    b.write_text(document(2), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run([str(a), str(b)], str(out), Options())
    foreign = json.dumps({"source": "elsewhere.txt", "sha256": "0" * 64, "mentions": []}) + "\n"
    out.write_text(foreign + out.read_text(encoding="utf-8"), encoding="utf-8")
    a.write_text(document(3), encoding="utf-8")
    summary = run([str(a), str(b)], str(out), Options(), resume=True)
    assert (summary.documents, summary.skipped) == (1, 1)
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in recs] == ["elsewhere.txt", str(b), str(a)]
    assert [r["canonical"] for r in recs[2]["references"]] == ["4-NQ/TW"]  # document(3)'s code


def test_resume_keeps_one_line_per_listing_of_the_same_file(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(document(1), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run([str(a)], str(out), Options())
    summary = run([str(a), str(a)], str(out), Options(), resume=True)
    assert (summary.documents, summary.skipped) == (1, 1)
    first, second = out.read_text(encoding="utf-8").splitlines()
    assert first == second
