"""``--engine dask``: the same bytes as the local engine, nothing lost when workers die."""
from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from pipeline import batch
from pipeline.batch import Input, Options, _outcome, run
from pipeline.cli import main

from .conftest import ROOT

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402

HOOKS = ROOT / "tests" / "dask_hooks.py"


def document(i: int) -> str:
    sentence = (f"Le {1 + i % 28} août {2000 + i % 25}, la Résolution n° {i + 1}-NQ/TW a été adoptée ; "
                f"{i + 1}/{i + 4} communes, {i % 100},5 % des ménages. ")
    return f"Document {i}.\n" + sentence * 4


def make_folder(root, n: int, special: dict[int, str] | None = None):
    """``root/fr/doc-NNN.txt`` for n documents; ``special`` gives some of them another name part."""
    folder = root / "fr"
    folder.mkdir(parents=True)
    for i in range(n):
        tag = (special or {}).get(i, "")
        (folder / f"doc-{i:03d}{tag}.txt").write_text(document(i), encoding="utf-8")
    return root


def in_root(*args: str) -> int:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return main(["extract", *args, "--quiet"])
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A LocalCluster of two processes whose working folder is not the checkout's."""
    elsewhere = tmp_path_factory.mktemp("workers-cwd")
    cwd = os.getcwd()
    os.chdir(elsewhere)
    try:
        c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                     scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                     silence_logs=logging.ERROR)
    finally:
        os.chdir(cwd)
    with c:
        yield c


def test_local_cluster_of_two_workers_gives_the_local_engine_bytes(corpus_jsonl, tmp_path):
    out = tmp_path / "dask.jsonl"
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", "corpus", "-o", str(out), "--quiet",
                           "--engine", "dask", "--workers", "2"], cwd=ROOT, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes() == corpus_jsonl.read_bytes()
    assert not (tmp_path / "dask.jsonl.partial").exists()


def test_running_scheduler_mention_lines_from_relative_paths(cluster, corpus_mentions_jsonl, tmp_path):
    # The workers run in another folder: they read corpus/... relative to the client's.
    out = tmp_path / "mentions.jsonl"
    assert in_root("corpus", "-o", str(out), "--granularity", "mention", "--engine", "dask",
                   "--scheduler", cluster.scheduler_address) == 0
    assert out.read_bytes() == corpus_mentions_jsonl.read_bytes()


def test_bad_inputs_small_batches_and_stdin_keep_order_and_bytes(cluster, tmp_path):
    from pipeline.distributed import outcomes
    root = make_folder(tmp_path, 17)
    (root / "fr" / "doc-005-empty.txt").write_bytes(b"")
    (root / "fr" / "doc-009-binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "fr" / "doc-011-big.txt").write_text(document(11) * 40, encoding="utf-8")
    sources = [*batch.iter_inputs([str(root)]), Input(str(root / "missing.txt")),
               Input("-", data="Le 3 juin 2013, la Résolution n° 25-NQ/TW.".encode()),
               Input("odd", failure=("unreadable", "odd: cannot list this folder"))]
    opts = Options(lang="auto", with_text=True)
    expected = [_outcome(s, opts) for s in sources]
    got = list(outcomes(sources, opts, scheduler=cluster.scheduler_address, batch_docs=3, batch_bytes=4000,
                        window=2))
    assert got == expected
    assert sum(o.error is not None for o in got) == 4


def test_resume_on_dask_completes_a_local_partial_run(cluster, tmp_path):
    root = make_folder(tmp_path / "in", 30)
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    run([str(root)], str(whole), Options())
    lines = whole.read_bytes().splitlines(keepends=True)
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(lines[:11]) + lines[11][:40])  # a torn last line
    summary = run([str(root)], str(out), Options(), resume=True, engine="dask", scheduler=cluster.scheduler_address)
    assert summary.skipped == 11 and summary.documents == 19
    assert out.read_bytes() == whole.read_bytes()


def test_stdin_goes_to_the_workers(cluster, tmp_path, monkeypatch):
    text = "Le 20 août 2013, la Résolution n° 25-NQ/TW ; 119/119 communes."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    out = tmp_path / "stdin.jsonl"
    run(["-"], str(out), Options(lang="fr"), engine="dask", scheduler=cluster.scheduler_address)
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["source"] == "-" and [m["text"] for m in rec["mentions"]][:2] == ["20 août 2013", "25-NQ/TW"]


def test_a_worker_killed_mid_run_loses_no_document(tmp_path, monkeypatch):
    n = 40
    root = make_folder(tmp_path / "in", n, {13: "-kill-once"})
    local, out = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert run([str(root)], str(local), Options()).failed == 0
    marker = tmp_path / "killed"
    monkeypatch.setenv("VNEXTRACT_TEST_MARKER", str(marker))
    with dask.config.set({"distributed.worker.preload": [str(HOOKS)]}):
        assert in_root(str(root), "-o", str(out), "--engine", "dask", "--workers", "2") == 0
    assert marker.exists()  # a worker did die, in the middle of a task
    data = out.read_bytes()
    assert data.count(b"\n") == n
    assert data == local.read_bytes()


def test_a_document_that_crashes_its_worker_becomes_an_error_record(tmp_path, monkeypatch):
    n = 12
    root = make_folder(tmp_path / "in", n, {4: "-crash-always"})
    local, out = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run([str(root)], str(local), Options())
    # Two deaths per task instead of the default four: the same path, in less time.
    with dask.config.set({"distributed.worker.preload": [str(HOOKS)], "distributed.scheduler.allowed-failures": 1}):
        assert in_root(str(root), "-o", str(out), "--engine", "dask", "--workers", "2") == 1
    got = out.read_bytes().splitlines()
    want = local.read_bytes().splitlines()
    assert len(got) == n
    crashed = json.loads(got[4])
    source = str(root / "fr" / "doc-004-crash-always.txt")
    assert crashed["source"] == source and crashed["error"]["code"] == "extract_error"
    assert crashed["error"]["message"].startswith(f"{source}: the worker process died while extracting it")
    assert got[:4] + got[5:] == want[:4] + want[5:]


def test_without_dask_the_engine_is_a_usage_error_naming_the_extra(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    out = tmp_path / "out.jsonl"
    assert in_root("corpus/fr", "-o", str(out), "--engine", "dask") == 2
    assert "vnextract[dask]" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "out.jsonl.partial").exists()


def test_unreachable_scheduler_is_a_usage_error_before_any_output(tmp_path, monkeypatch, capsys):
    from pipeline import distributed as engine
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 1)
    out = tmp_path / "out.jsonl"
    assert in_root("corpus/fr", "-o", str(out), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9") == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_scheduler_needs_the_dask_engine(tmp_path, capsys):
    assert in_root("corpus/fr", "-o", str(tmp_path / "o.jsonl"), "--scheduler", "tcp://127.0.0.1:9") == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
