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
            found.sort()
            yield from found
        else:
            # A missing file is reported as an error record, not skipped.
            yield p


@dataclass(frozen=True)
class Options:
    lang: str = "auto"
    with_text: bool = False


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


def _line(source: str, opts: Options) -> tuple[str, tuple]:
    """One input's JSON line and what the summary counts of it (so that the
    parent process never parses the line again)."""
    rec = process_source(source, opts)
    line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
    return line, _counts(rec)


def _counts(rec: dict) -> tuple:
    err = rec.get("error")
    types = Counter(m["type"] for m in rec.get("mentions", ()))
    return rec.get("chars") or 0, (err["code"] if err else None), tuple(types.items())


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
        self.add_counts(_counts(rec))

    def add_counts(self, counts: tuple) -> None:
        """Count one document from what ``_counts`` made of its record."""
        chars, error, types = counts
        self.documents += 1
        if error:
            self.failed += 1
            self.errors[error] += 1
        self.chars += chars
        for t, n in types:
            self.by_type[t] += n

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
    sources = list(iter_inputs(inputs))
    summary = Summary()
    t0 = time.perf_counter()
    if out == "-":
        for line, counts in _lines(sources, opts, workers, progress):
            sys.stdout.write(line + "\n")
            summary.add_counts(counts)
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
        for line, counts in _lines(sources, opts, workers, progress):
            f.write(line + "\n")
            f.flush()
            summary.add_counts(counts)
    partial.replace(target)
    summary.seconds = time.perf_counter() - t0
    return summary


def _load_patterns() -> None:
    from .patterns import compiled_patterns, languages, lexicon
    for lang in languages():
        compiled_patterns(lang)
        lexicon(lang).variable_plan("no_mention_zone")
        lexicon(lang).compiled_variable("no_mention_zone")


def _lines(sources: list[str], opts: Options, workers: int, progress: bool) -> Iterator[tuple[str, tuple]]:
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
            fork = sys.platform.startswith("linux")
            if fork:
                _load_patterns()  # once, before the fork: every worker inherits them compiled
            ctx = get_context("fork" if fork else "spawn")
            # Chunks big enough to keep the workers' queues cheap, small enough to balance the load.
            chunksize = max(1, min(32, len(sources) // (workers * 8)))
            with ctx.Pool(workers) as pool:
                for item in pool.imap(bind(_line, opts=opts), sources, chunksize=chunksize):
                    yield item
                    if bar:
                        bar.update()
    finally:
        if bar:
            bar.close()
