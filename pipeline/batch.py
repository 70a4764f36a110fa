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

import hashlib
import json
import os
import signal
import stat
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from multiprocessing import get_context
from pathlib import Path

from .document import analyse, references
from .formats import DEFAULT_INCLUDE
from .lang import choose_lang
from .models import SCHEMA_VERSION
from .read import MAX_BYTES, ReadError, load_bytes, read_document, sha256_of


class UsageError(ValueError):
    """Bad usage of the batch entry point (exit status 2)."""


@dataclass(frozen=True)
class Input:
    """One document to process: a path, or ``-`` for stdin."""
    source: str
    data: bytes | None = None  # stdin's bytes, read once by the parent process
    failure: tuple[str, str] | None = None  # (code, message) of an entry the folder walk could not take


def iter_inputs(paths: Iterable[str], include: Iterable[str] = DEFAULT_INCLUDE,
                exclude: Iterable[str] = ()) -> Iterator[Input]:
    """Files as given, folders walked recursively (sorted, symlinked folders not followed).

    In a folder, a file is taken when its name (or, for a pattern holding a ``/``, its path
    relative to the folder) matches an ``include`` glob and no ``exclude`` glob, case
    ignored; a sub-folder matching an ``exclude`` glob is not entered. A folder that cannot
    be listed, and an entry that is no regular file, become error records: nothing is lost.
    """
    include, exclude = tuple(include), tuple(exclude)
    for p in paths:
        if p != "-" and os.path.isdir(p):
            yield from _walk(p, include, exclude)
        else:
            # A missing file is reported as an error record, not skipped.
            yield Input(p)


def _matches(rel: str, globs: tuple[str, ...]) -> bool:
    rel = rel.lower()
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatchcase(rel if "/" in g else name, g.lower()) for g in globs)


def _walk(top: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Input]:
    found: list[Input] = []

    def unlistable(e: OSError) -> None:
        where = e.filename or top
        found.append(Input(where, failure=("unreadable", f"{where}: cannot list this folder: {e.strerror or e}")))

    for root, dirs, files in os.walk(top, onerror=unlistable, followlinks=False):
        rel_root = Path(root).relative_to(top).as_posix()
        prefix = "" if rel_root == "." else rel_root + "/"
        dirs[:] = sorted(d for d in dirs if not _matches(prefix + d, exclude))
        for name in files:
            if _matches(prefix + name, include) and not _matches(prefix + name, exclude):
                found.append(_entry(os.path.join(root, name)))
    found.sort(key=lambda i: i.source)
    return found


def _entry(path: str) -> Input:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return Input(path)  # a dangling or looping link: reading it reports why
    if stat.S_ISREG(mode):
        return Input(path)
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    # Opening a named pipe would wait for a writer forever.
    return Input(path, failure=("unsupported_format", f"{path}: {kind}, not a regular file"))


@dataclass(frozen=True)
class Options:
    lang: str = "auto"
    with_text: bool = False
    max_bytes: int = MAX_BYTES
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
        "rejected": analysis.rejected_count,
    }
    if opts.with_text:
        rec["text"] = text
    return rec


def process_input(inp: Input, opts: Options) -> dict:
    """One input to one record; never raises for a bad document."""
    source = inp.source
    if inp.failure:
        return error_record(source, *inp.failure)
    try:
        if source == "-":
            data = inp.data if inp.data is not None else sys.stdin.buffer.read(opts.max_bytes + 1)
            loaded = load_bytes(data, source, opts.max_bytes)
        else:
            loaded = read_document(source, opts.max_bytes)
    except ReadError as e:
        return error_record(source, e.code, e.message, e.sha256)
    try:
        return process_text(source, loaded.sha256, loaded.text, loaded.encoding, opts)
    except Exception as e:
        # A failure inside extraction (a pattern timeout, a bug met on one text) is this
        # document's error record, named with its exception; the batch goes on.
        return error_record(source, "extract_error", f"{source}: {type(e).__name__}: {e}", loaded.sha256)


def process_source(source: str, opts: Options) -> dict:
    """The record of one path (or ``-``)."""
    return process_input(Input(source), opts)


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: the JSON line, and the few numbers the summary needs."""
    line: str
    chars: int
    error: str | None
    types: tuple[tuple[str, int], ...]


def _outcome(inp: Input, opts: Options) -> Outcome:
    rec = process_input(inp, opts)
    return Outcome(line="".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                                for r in record_lines(rec, opts.granularity)),
                   chars=rec.get("chars") or 0,
                   error=rec["error"]["code"] if rec.get("error") else None,
                   types=tuple(Counter(m["type"] for m in rec["mentions"]).items()))


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


@dataclass
class Summary:
    documents: int = 0
    failed: int = 0
    skipped: int = 0
    skipped_failed: int = 0  # error records among the lines an earlier run left
    by_type: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    chars: int = 0
    seconds: float = 0.0

    def add(self, o: Outcome) -> None:
        self.documents += 1
        if o.error:
            self.failed += 1
            self.errors[o.error] += 1
        self.chars += o.chars
        self.by_type.update(dict(o.types))

    def render(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        mb = self.chars / 1e6 / self.seconds if self.seconds else 0.0
        types = ", ".join(f"{t} {n}" for t, n in sorted(self.by_type.items())) or "none"
        errs = ", ".join(f"{c} {n}" for c, n in sorted(self.errors.items()))
        done = f", {self.skipped} already done" if self.skipped else ""
        if self.skipped_failed:
            done += f" ({self.skipped_failed} of them error records)"
        return (f"documents: {self.documents} read, {self.failed} failed" + (f" ({errs})" if errs else "")
                + done
                + f"\nmentions: {sum(self.by_type.values())} ({types})"
                + f"\nthroughput: {rate:.1f} documents/s, {mb:.2f} M chars/s in {self.seconds:.2f} s")


def _resume(partial: Path, inputs: list[Input], max_bytes: int, summary: Summary) -> list[Input]:
    """Keep the lines of an earlier run that match an input by (source, sha256); return the inputs left.

    A torn last line is cut off. A line for one of the inputs whose file has changed since
    (another sha256) is dropped, so that each input keeps exactly one line; lines of
    sources not among the inputs are kept as they are. With ``--granularity mention`` a
    document's output is the run of its mention lines (``index`` 0, 1, ...), kept or
    dropped together.
    """
    data = partial.read_bytes()
    complete = data[:data.rfind(b"\n") + 1]
    # One entry per document: its output bytes, its (source, sha256), whether it is an error.
    lines: list[tuple[bytes, tuple[str, str | None], bool]] = []
    raws = [raw + b"\n" for raw in complete.split(b"\n")[:-1]]
    for raw in raws:
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError:
            continue  # not a record of ours: dropped with the rewrite below
        if not isinstance(rec, dict):
            continue
        key = (rec.get("source"), rec.get("sha256"))
        if isinstance(rec.get("index"), int) and rec["index"] > 0 and lines and lines[-1][1] == key:
            lines[-1] = (lines[-1][0] + raw, key, lines[-1][2])
        else:
            lines.append((raw, key, bool(rec.get("error"))))
    available = Counter(key for _, key, _ in lines)
    failed_keys = {key for _, key, failed in lines if failed}
    done_sources = {source for source, _ in available}
    taken: Counter = Counter()
    left = []
    for inp in inputs:
        if inp.source not in done_sources:  # no need to hash a file the earlier run did not reach
            left.append(inp)
            continue
        key = (inp.source, _current_sha(inp, max_bytes))
        if taken[key] < available[key]:
            taken[key] += 1
            summary.skipped += 1
            summary.skipped_failed += key in failed_keys
        else:
            left.append(inp)
    sources = {inp.source for inp in inputs}
    kept = []
    for raw, key, _ in lines:
        if key[0] not in sources:
            kept.append(raw)
        elif taken[key] > 0:
            taken[key] -= 1
            kept.append(raw)
    if sum(len(k) for k in kept) != len(data):
        tmp = partial.with_name(partial.name + ".tmp")
        tmp.write_bytes(b"".join(kept))
        tmp.replace(partial)
    return left


def _current_sha(inp: Input, max_bytes: int) -> str | None:
    """The sha256 a record of this input would carry now (None for what cannot be read)."""
    if inp.failure:
        return None
    if inp.source == "-":
        return hashlib.sha256(inp.data).hexdigest() if inp.data is not None and len(inp.data) <= max_bytes else None
    return sha256_of(inp.source, max_bytes)


def run(inputs: list[str], out: str, opts: Options, workers: int = 1, resume: bool = False,
        overwrite: bool = False, progress: bool = False, include: Iterable[str] = DEFAULT_INCLUDE,
        exclude: Iterable[str] = (), engine: str = "local", scheduler: str | None = None) -> Summary:
    """Process ``inputs`` into ``out`` (a path or ``-``); returns the run's summary.

    ``engine``: ``local`` (this process, or a pool of ``workers`` processes) or ``dask``
    (a LocalCluster of ``workers`` processes, or the running scheduler at ``scheduler``).
    """
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if opts.granularity not in GRANULARITIES:
        raise UsageError(f"--granularity must be one of {', '.join(GRANULARITIES)}")
    if opts.max_bytes < 1:
        raise UsageError("--max-bytes must be at least 1")
    if resume and out == "-":
        raise UsageError("--resume needs an output file, not -")
    if engine not in ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    sources = list(iter_inputs(inputs, include, exclude))
    if any(s.source == "-" for s in sources):
        stdin = sys.stdin.buffer.read(opts.max_bytes + 1)  # once, here: worker processes have no stdin
        sources = [Input("-", data=stdin) if s.source == "-" else s for s in sources]
    outcomes = _outcomes
    if engine == "dask":
        from functools import partial as bind

        from .distributed import preflight
        preflight(scheduler, sources)  # before any output is written
        outcomes = bind(_dask_outcomes, scheduler=scheduler)
    summary = Summary()
    t0 = time.perf_counter()
    if out == "-":
        for o in outcomes(sources, opts, workers, progress):
            sys.stdout.write(o.line)
            summary.add(o)
        sys.stdout.flush()
        summary.seconds = time.perf_counter() - t0
        return summary

    target = Path(out)
    partial = target.with_name(target.name + ".partial")
    if resume:
        if not partial.exists() and target.exists():
            target.replace(partial)
        if partial.exists():
            sources = _resume(partial, sources, opts.max_bytes, summary)
        mode = "a"
    else:
        if (target.exists() or partial.exists()) and not overwrite:
            raise UsageError(f"{target} already exists: pass --overwrite to replace it or --resume to complete it")
        mode = "w"
    target.parent.mkdir(parents=True, exist_ok=True)
    with partial.open(mode, encoding="utf-8") as f:
        for o in outcomes(sources, opts, workers, progress):
            f.write(o.line)  # one write per document
            f.flush()
            summary.add(o)
    partial.replace(target)
    summary.seconds = time.perf_counter() - t0
    return summary


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it, and ends the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load_patterns() -> None:
    from .patterns import compiled_patterns, languages, lexicon
    for lang in languages():
        compiled_patterns(lang)
        lexicon(lang).zones  # noqa: B018 (compiles them)


def _with_progress(outcomes: Iterator[Outcome], total: int, progress: bool) -> Iterator[Outcome]:
    """``outcomes`` as they come, with a progress bar on stderr when asked."""
    if not progress:
        yield from outcomes
        return
    from tqdm import tqdm
    with tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True) as bar:
        for o in outcomes:
            yield o
            bar.update()


def _outcomes(sources: list[Input], opts: Options, workers: int, progress: bool) -> Iterator[Outcome]:
    return _with_progress(_local_outcomes(sources, opts, workers), len(sources), progress)


def _local_outcomes(sources: list[Input], opts: Options, workers: int) -> Iterator[Outcome]:
    if workers == 1 or len(sources) < 2:
        for s in sources:
            yield _outcome(s, opts)
        return
    from functools import partial as bind
    fork = sys.platform.startswith("linux")
    if fork:
        _load_patterns()  # once, before the fork: every worker inherits them compiled
    ctx = get_context("fork" if fork else "spawn")
    # Chunks big enough to keep the workers' queues cheap, small enough to balance the load.
    chunksize = max(1, min(32, len(sources) // (workers * 8)))
    with ctx.Pool(workers, initializer=_ignore_interrupt) as pool:
        yield from pool.imap(bind(_outcome, opts=opts), sources, chunksize=chunksize)


ENGINES = ("local", "dask")


def _dask_outcomes(sources: list[Input], opts: Options, workers: int, progress: bool,
                   scheduler: str | None = None) -> Iterator[Outcome]:
    """The ``dask`` engine: the same outcomes in the same order, computed on a Dask cluster."""
    from .distributed import outcomes
    return _with_progress(outcomes(sources, opts, workers, scheduler), len(sources), progress)
