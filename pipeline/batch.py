"""Batch runs: inputs in, one JSON line per input out, nothing lost.

* Every input yields exactly one line: its record, or an error record with
  a stable code and a message naming the file.
* Lines are written whole and flushed to ``OUT.partial``; the file is renamed
  to ``OUT`` when the run ends. An interrupted run leaves complete lines in
  ``OUT.partial`` (a torn last line is cut off on resume), never a
  half-written ``OUT``; ``--resume`` carries on from it.
* With several workers the output order is still the input order.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Iterator

from .document import analyse, references
from .lang import choose_lang
from .models import SCHEMA_VERSION
from .read import ReadError, load_bytes, read_document

TEXT_SUFFIXES = (".txt",)


class UsageError(ValueError):
    """Bad usage of the batch entry point (exit status 2)."""


def iter_inputs(paths: Iterable[str], suffixes: tuple[str, ...] = TEXT_SUFFIXES) -> Iterator[str]:
    """Files as given, folders walked recursively (sorted, symlinked folders not followed)."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path, followlinks=False, onerror=None):
                dirs.sort()
                found.extend(os.path.join(root, f) for f in files if f.lower().endswith(suffixes))
            yield from sorted(found)
        else:
            # A missing file is reported as an error record, not skipped.
            yield p


@dataclass(frozen=True)
class Options:
    lang: str = "auto"
    with_text: bool = False
    granularity: str = "document"  # or "mention": see record_lines


def error_record(source: str, code: str, message: str, sha256: str | None = None) -> dict:
    return {"source": source, "sha256": sha256, "schema_version": SCHEMA_VERSION, "mentions": [],
            "error": {"code": code, "message": message}}


def process_text(source: str, sha256: str, text: str, encoding: str, opts: Options) -> dict:
    lang = choose_lang(source, text, opts.lang)
    analysis = analyse(text, lang)
    rec = {
        "source": source,
        "sha256": sha256,
        "lang": lang,
        "chars": len(text),
        "encoding": encoding,
        "schema_version": SCHEMA_VERSION,
        "mentions": [m.model_dump(mode="json") for m in analysis.mentions],
        "references": [r.model_dump(mode="json") for r in references(analysis.mentions)],
        "rejected": len([c for c in analysis.candidates if c.status in ("rejected", "invalid")]),
    }
    if opts.with_text:
        rec["text"] = text
    return rec


def process_source(source: str, opts: Options) -> dict:
    """One input to one record; never raises for a bad document."""
    try:
        loaded = load_bytes(sys.stdin.buffer.read(), "-") if source == "-" else read_document(source)
    except ReadError as e:
        return error_record(source, e.code, e.message, e.sha256)
    try:
        return process_text(source, loaded.sha256, loaded.text, loaded.encoding, opts)
    except (ValueError, RuntimeError, RecursionError, MemoryError) as e:
        # A failure inside extraction is this document's error, not the batch's.
        return error_record(source, "extract_error", f"{source}: {type(e).__name__}: {e}", loaded.sha256)


GRANULARITIES = ("document", "mention")
_LINE_CONTEXT = ("source", "sha256", "lang", "schema_version")


def record_lines(rec: dict, granularity: str = "document") -> list[dict]:
    """A document record as output lines: itself (``document``), or one line per mention
    (``mention``) carrying the document's source, sha256, lang and schema_version plus the
    mention's ``index`` in the document. An error record stays one line (its context and
    ``error``); a document without mentions gives no line."""
    if granularity == "document":
        return [rec]
    if granularity != "mention":
        raise ValueError(f"unknown granularity {granularity!r}")
    ctx = {k: rec.get(k) for k in _LINE_CONTEXT}
    if rec.get("error"):
        return [{**ctx, "error": rec["error"]}]
    return [{**ctx, "index": i, **m} for i, m in enumerate(rec.get("mentions", ()))]


def _render(line: str, rec: dict, granularity: str) -> str:
    """The text written for one document: its line, or its mention lines."""
    if granularity == "document":
        return line + "\n"
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for r in record_lines(rec, granularity))


def _line(source: str, opts: Options) -> str:
    return json.dumps(process_source(source, opts), ensure_ascii=False, separators=(",", ":"))


@dataclass
class Summary:
    documents: int = 0
    failed: int = 0
    skipped: int = 0
    by_type: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    chars: int = 0
    seconds: float = 0.0

    def add(self, rec: dict) -> None:
        self.documents += 1
        if rec.get("error"):
            self.failed += 1
            self.errors[rec["error"]["code"]] += 1
        self.chars += rec.get("chars") or 0
        self.by_type.update(m["type"] for m in rec.get("mentions", ()))

    def render(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        mb = self.chars / 1e6 / self.seconds if self.seconds else 0.0
        types = ", ".join(f"{t} {n}" for t, n in sorted(self.by_type.items())) or "none"
        errs = ", ".join(f"{c} {n}" for c, n in sorted(self.errors.items()))
        return (f"documents: {self.documents} read, {self.failed} failed" + (f" ({errs})" if errs else "")
                + (f", {self.skipped} already done" if self.skipped else "")
                + f"\nmentions: {sum(self.by_type.values())} ({types})"
                + f"\nthroughput: {rate:.1f} documents/s, {mb:.2f} M chars/s in {self.seconds:.2f} s")


def _done_in(partial: Path) -> set[tuple[str, str | None]]:
    """(source, sha256) of the complete lines of an interrupted run; a torn last line is cut off."""
    done: set[tuple[str, str | None]] = set()
    with partial.open("r+b") as f:
        data = f.read()
        keep = data.rfind(b"\n") + 1
        if keep != len(data):
            f.truncate(keep)
        for raw in data[:keep].splitlines():
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError:
                continue
            done.add((rec.get("source"), rec.get("sha256")))
    return done


def _sha_of(source: str) -> str | None:
    import hashlib
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError:
        return None


def run(inputs: list[str], out: str, opts: Options, workers: int = 1, resume: bool = False,
        overwrite: bool = False, progress: bool = False) -> Summary:
    """Process ``inputs`` into ``out`` (a path or ``-``); returns the run's summary."""
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if opts.granularity not in GRANULARITIES:
        raise UsageError(f"--granularity must be one of {', '.join(GRANULARITIES)}")
    sources = list(iter_inputs(inputs))
    summary = Summary()
    t0 = time.perf_counter()
    if out == "-":
        for line in _lines(sources, opts, workers, progress):
            rec = json.loads(line)
            sys.stdout.write(_render(line, rec, opts.granularity))
            summary.add(rec)
        sys.stdout.flush()
        summary.seconds = time.perf_counter() - t0
        return summary

    target = Path(out)
    partial = target.with_name(target.name + ".partial")
    if resume:
        done: set[tuple[str, str | None]] = set()
        if partial.exists():
            done = _done_in(partial)
        elif target.exists():
            target.replace(partial)
            done = _done_in(partial)
        if done:
            before = len(sources)
            sources = [s for s in sources if (s, _sha_of(s)) not in done]
            summary.skipped = before - len(sources)
        mode = "a"
    else:
        if (target.exists() or partial.exists()) and not overwrite:
            raise UsageError(f"{target} already exists: pass --overwrite to replace it or --resume to complete it")
        mode = "w"
    target.parent.mkdir(parents=True, exist_ok=True)
    with partial.open(mode, encoding="utf-8") as f:
        for line in _lines(sources, opts, workers, progress):
            rec = json.loads(line)
            f.write(_render(line, rec, opts.granularity))  # one write per document
            f.flush()
            summary.add(rec)
    partial.replace(target)
    summary.seconds = time.perf_counter() - t0
    return summary


def _lines(sources: list[str], opts: Options, workers: int, progress: bool) -> Iterator[str]:
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(sources), unit="doc", file=sys.stderr, dynamic_ncols=True)
    try:
        if workers == 1 or len(sources) < 2:
            for s in sources:
                yield _line(s, opts)
                if bar:
                    bar.update()
        else:
            from functools import partial as bind
            ctx = get_context("fork" if sys.platform.startswith("linux") else "spawn")
            with ctx.Pool(workers) as pool:
                for line in pool.imap(bind(_line, opts=opts), sources, chunksize=4):
                    yield line
                    if bar:
                        bar.update()
    finally:
        if bar:
            bar.close()
