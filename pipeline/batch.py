"""Batch runs: inputs in, one JSON line per input out, nothing lost.

* Every input yields exactly one line: its record, or an error record with
  a stable code and a message naming the file.
* Lines are written whole and flushed to ``OUT.partial``; the file is renamed
  to ``OUT`` when the run ends. An interrupted run leaves complete lines in
  ``OUT.partial`` (a torn last line is cut off on resume), never a
  half-written ``OUT``; ``--resume`` carries on from it.
* With several workers the output order is still the input order.
* Memory follows the size of the texts, not their number of mentions: a text of
  more than one piece (``document.CHUNK_CHARS``) is written piece by piece to a
  spill file in a folder beside ``OUT`` (``.OUT.spill-*``, removed at the end
  whatever happens), which a worker hands back by path; the parent copies it
  into ``OUT.partial``, patching the few short references that a later piece
  resolved, and cuts the file back to its last whole line if the copy fails.
"""
from __future__ import annotations

import codecs
import hashlib
import heapq
import io
import json
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from glob import escape as glob_escape
from multiprocessing import get_context
from pathlib import Path

from . import document as doc_stage
from .document import Analysis, FullCodes, analyse, iter_piece_analyses, references
from .formats import DEFAULT_INCLUDE
from .lang import choose_lang
from .models import SCHEMA_VERSION, DocRef, Mention
from .read import MAX_BYTES, Loaded, ReadError, load_bytes, read_document, sha256_of


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


def read_input(inp: Input, opts: Options) -> Loaded:
    """The text of one input; a ReadError when it has none."""
    if inp.failure:
        raise ReadError(*inp.failure)
    if inp.source == "-":
        data = inp.data if inp.data is not None else sys.stdin.buffer.read(opts.max_bytes + 1)
        return load_bytes(data, inp.source, opts.max_bytes)
    return read_document(inp.source, opts.max_bytes)


def _extract_error(source: str, e: Exception, sha256: str) -> dict:
    # A failure inside extraction (a pattern timeout, a bug met on one text) is this
    # document's error record, named with its exception; the batch goes on.
    return error_record(source, "extract_error", f"{source}: {type(e).__name__}: {e}", sha256)


def process_input(inp: Input, opts: Options) -> dict:
    """One input to one record; never raises for a bad document."""
    try:
        loaded = read_input(inp, opts)
    except ReadError as e:
        return error_record(inp.source, e.code, e.message, e.sha256)
    try:
        return process_text(inp.source, loaded.sha256, loaded.text, loaded.encoding, opts)
    except Exception as e:
        return _extract_error(inp.source, e, loaded.sha256)


def process_source(source: str, opts: Options) -> dict:
    """The record of one path (or ``-``)."""
    return process_input(Input(source), opts)


@dataclass(frozen=True)
class Spill:
    """A document's output lines, written to the file ``path`` piece by piece (see
    ``_stream_document``) instead of held in memory, less a few short references that
    a later piece resolved: the mention at byte ``patches[i]`` (``patches[i + 1]`` bytes,
    its JSON object without the opening brace) takes the fields ``updates[patches[i + 2]]``.
    ``patches`` is sorted by offset. ``copy_spill`` writes the lines out as they should be."""
    path: str
    patches: array = field(default_factory=lambda: array("q"))
    updates: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: the JSON line(s), or the ``Spill`` file holding those of a
    long document (never a giant string through the pool), and the few numbers the summary needs."""
    lines: str | Spill
    chars: int
    error: str | None
    types: tuple[tuple[str, int], ...]


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _record_outcome(rec: dict, opts: Options) -> Outcome:
    return Outcome(lines="".join(_dumps(r) + "\n" for r in record_lines(rec, opts.granularity)),
                   chars=rec.get("chars") or 0,
                   error=rec["error"]["code"] if rec.get("error") else None,
                   types=tuple(Counter(m["type"] for m in rec["mentions"]).items()))


def _outcome(inp: Input, opts: Options, spill_dir: str | None = None) -> Outcome:
    """One input to its outcome; never raises for a bad document.

    A text of one piece (``document.CHUNK_CHARS`` characters at most) is processed in
    memory. A longer one is written piece by piece to a spill file in ``spill_dir``
    (handed back as a ``Spill``, for the caller to copy and delete); with no
    ``spill_dir``, to a temporary file read back into the outcome's string.
    """
    try:
        loaded = read_input(inp, opts)
    except ReadError as e:
        return _record_outcome(error_record(inp.source, e.code, e.message, e.sha256), opts)
    if len(loaded.text) <= doc_stage.CHUNK_CHARS:
        try:
            rec = process_text(inp.source, loaded.sha256, loaded.text, loaded.encoding, opts)
        except Exception as e:
            rec = _extract_error(inp.source, e, loaded.sha256)
        return _record_outcome(rec, opts)
    fd, path = tempfile.mkstemp(prefix="doc-", suffix=".jsonl", dir=spill_dir)
    handed_over = False
    try:
        try:
            with open(fd, "wb", buffering=1 << 20) as f:
                spill, types = _stream_document(f, path, inp.source, loaded, opts)
        except Exception as e:
            return _record_outcome(_extract_error(inp.source, e, loaded.sha256), opts)
        if spill_dir is not None:
            handed_over = True
            return Outcome(lines=spill, chars=len(loaded.text), error=None, types=types)
        with closing(io.StringIO()) as buf:
            copy_spill(spill, buf)
            return Outcome(lines=buf.getvalue(), chars=len(loaded.text), error=None, types=types)
    finally:
        if not handed_over:
            os.unlink(path)


def _by_offset(m: Mention) -> tuple[int, int]:
    return (m.start, m.end)


def _stream_document(f, path: str, source: str, loaded: Loaded, opts: Options
                     ) -> tuple[Spill, tuple[tuple[str, int], ...]]:
    """Write the output lines of a text of several pieces to ``f`` (the spill file at
    ``path``), one piece at a time: the bytes of ``record_lines(process_text(...))`` but
    for the short references that only a later piece resolves (see ``Spill``).

    Kept until the end: the full codes met (``FullCodes``), the offsets of each canonical
    code (for ``references``), the places of the short references still unresolved, and
    counts; each piece's mentions are freed once written.
    """
    text = loaded.text
    lang = choose_lang(source, text, opts.lang)
    by_mention = opts.granularity == "mention"
    pos = 0

    def put(s: str) -> None:
        nonlocal pos
        b = s.encode("utf-8")
        f.write(b)
        pos += len(b)

    if by_mention:
        head = _dumps({"source": source, "sha256": loaded.sha256, "lang": lang,
                       "schema_version": SCHEMA_VERSION})[:-1] + ',"index":'
    else:
        put(_dumps({"source": source, "sha256": loaded.sha256, "lang": lang, "chars": len(text),
                    "encoding": loaded.encoding, "schema_version": SCHEMA_VERSION})[:-1] + ',"mentions":[')
    codes = FullCodes()
    spans: dict[str, array] = {}  # canonical -> (start, end) of its mentions, flat, in order
    waiting: dict[tuple, array] = {}  # (kind, number) -> (spill offset, length, start, end) of its short references, flat
    types: Counter = Counter()
    rejected = 0
    index = 0

    def write_piece(a: Analysis) -> None:
        nonlocal rejected, index
        codes.learn(a.mentions)  # the piece's own full codes count for its short references
        rejected += a.rejected_count
        for m in sorted(a.mentions, key=_by_offset):  # pieces do not overlap: the document's order
            m = codes.link(m)
            body = _dumps(m.model_dump(mode="json"))
            if by_mention:
                put(head + str(index) + ",")
            else:
                put(",{" if index else "{")
            at = pos
            put(body[1:])
            if codes.waits(m):
                waiting.setdefault(FullCodes.key(m), array("q")).extend((at, pos - at, m.start, m.end))
            elif isinstance(m, DocRef) and m.canonical:
                spans.setdefault(m.canonical, array("q")).extend((m.start, m.end))
            if by_mention:
                put("\n")
            types[m.type] += 1
            index += 1

    for a in iter_piece_analyses(text, lang):
        write_piece(a)
        del a  # freed before the next piece is analysed
    # Short references resolved by a full code met in a later piece.
    patches: list[tuple[int, int, int]] = []
    updates: list[dict] = []
    late: dict[str, list[tuple[int, int]]] = {}
    for key, places in waiting.items():
        if codes.knows(key):
            update = codes.update(key)
            updates.append(update)
            for i in range(0, len(places), 4):
                patches.append((places[i], places[i + 1], len(updates) - 1))
                late.setdefault(update["canonical"], []).append((places[i + 2], places[i + 3]))
    if not by_mention:
        put('],"references":[')
        for i, canonical in enumerate(sorted(spans.keys() | late.keys())):
            flat = spans.get(canonical, array("q"))
            offsets = heapq.merge(zip(flat[0::2], flat[1::2], strict=True), sorted(late.get(canonical, ())))
            _put_reference(put, canonical, len(flat) // 2 + len(late.get(canonical, ())), offsets, first=i == 0)
        put('],"rejected":' + str(rejected))
        if opts.with_text:
            put(',"text":"')
            for i in range(0, len(text), _TEXT_CHUNK):
                put(_dumps(text[i:i + _TEXT_CHUNK])[1:-1])
            put('"')
        put("}\n")
    flat_patches = array("q")
    for p in sorted(patches):
        flat_patches.extend(p)
    return Spill(path, flat_patches, tuple(updates)), tuple(types.items())


_TEXT_CHUNK = 1 << 20  # characters of the text escaped at a time (JSON escapes each character alone)


def _put_reference(put, canonical: str, count: int, offsets: Iterator[tuple[int, int]], first: bool) -> None:
    """The bytes of ``_dumps(Reference(...).model_dump(mode="json"))``, written a few offsets at a time."""
    put(("" if first else ",") + '{"canonical":' + _dumps(canonical) + ',"count":' + str(count) + ',"offsets":[')
    batch: list[str] = []
    for s, e in offsets:
        batch.append(f"[{s},{e}]")
        if len(batch) >= 4096:
            put(",".join(batch) + ",")
            batch.clear()
    put(",".join(batch) + "]}")


def copy_spill(spill: Spill, out) -> None:
    """Write the lines held by ``spill`` to the text stream ``out``, patched (see ``Spill``)."""
    decode = codecs.getincrementaldecoder("utf-8")().decode
    with open(spill.path, "rb") as f:
        pos = 0
        for i in range(0, len(spill.patches), 3):
            at, length, u = spill.patches[i:i + 3]
            _copy_bytes(f, at - pos, out, decode)
            mention = json.loads(b"{" + f.read(length))
            mention.update(spill.updates[u])
            out.write(_dumps(mention)[1:])
            pos = at + length
        _copy_bytes(f, -1, out, decode)
    out.write(decode(b"", final=True))


def _copy_bytes(f, n: int, out, decode) -> None:
    """Copy ``n`` bytes of ``f`` (all that is left for -1) to ``out``, a MB at a time."""
    while n:
        chunk = f.read(1 << 20 if n < 0 else min(n, 1 << 20))
        if not chunk:
            if n > 0:
                raise OSError(f"{f.name}: the spill file ends {n} bytes early")
            return
        out.write(decode(chunk))
        if n > 0:
            n -= len(chunk)


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
        with (_spill_folder(None, engine) as spill_dir,
              closing(outcomes(sources, opts, workers, progress, spill_dir)) as results):
            for o in results:
                _write_outcome(o, sys.stdout)
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
    with (partial.open(mode, encoding="utf-8") as f, _spill_folder(target, engine) as spill_dir,
          closing(outcomes(sources, opts, workers, progress, spill_dir)) as results):
        for o in results:
            _write_outcome(o, f, cut_back=True)  # one write per document, or one copy of its spill file
            f.flush()
            summary.add(o)
    partial.replace(target)
    summary.seconds = time.perf_counter() - t0
    return summary


@contextmanager
def _spill_folder(target: Path | None, engine: str) -> Iterator[str | None]:
    """A folder for the spill files of long documents (see ``Spill``), removed at the end
    whatever happens: beside ``target`` (the system's temporary folder for stdout). Those
    that a killed run on the same ``target`` left behind are removed first.

    The Dask engine's workers may run on other machines: they send their lines back as
    strings, and get no folder here.
    """
    if engine != "local":
        yield None
        return
    if target is None:
        folder = tempfile.mkdtemp(prefix="vnextract-spill-")
    else:
        prefix = f".{target.name}.spill-"
        for stale in target.parent.glob(glob_escape(prefix) + "*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale)
        folder = tempfile.mkdtemp(prefix=prefix, dir=target.parent)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def _write_outcome(o: Outcome, out, cut_back: bool = False) -> None:
    """Write an outcome's lines to the text stream ``out``. A spill file is copied, then
    deleted. ``cut_back``: when the copy fails or is interrupted, the file ``out`` is cut
    back to the lines before it, so that it never ends with part of a line."""
    if isinstance(o.lines, str):
        out.write(o.lines)
        return
    try:
        if not cut_back:
            copy_spill(o.lines, out)
            return
        out.flush()
        size = os.fstat(out.fileno()).st_size
        try:
            copy_spill(o.lines, out)
        except BaseException:
            try:
                out.flush()
            finally:
                os.ftruncate(out.fileno(), size)
            raise
    finally:
        os.unlink(o.lines.path)


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


def _outcomes(sources: list[Input], opts: Options, workers: int, progress: bool,
              spill_dir: str | None = None) -> Iterator[Outcome]:
    return _with_progress(_local_outcomes(sources, opts, workers, spill_dir), len(sources), progress)


def _local_outcomes(sources: list[Input], opts: Options, workers: int,
                    spill_dir: str | None = None) -> Iterator[Outcome]:
    if workers == 1 or len(sources) < 2:
        for s in sources:
            yield _outcome(s, opts, spill_dir)
        return
    from functools import partial as bind
    fork = sys.platform.startswith("linux")
    if fork:
        _load_patterns()  # once, before the fork: every worker inherits them compiled
    ctx = get_context("fork" if fork else "spawn")
    # Chunks big enough to keep the workers' queues cheap, small enough to balance the load.
    chunksize = max(1, min(32, len(sources) // (workers * 8)))
    with ctx.Pool(workers, initializer=_ignore_interrupt) as pool:
        yield from pool.imap(bind(_outcome, opts=opts, spill_dir=spill_dir), sources, chunksize=chunksize)


ENGINES = ("local", "dask")


def _dask_outcomes(sources: list[Input], opts: Options, workers: int, progress: bool,
                   spill_dir: str | None = None, scheduler: str | None = None) -> Iterator[Outcome]:
    """The ``dask`` engine: the same outcomes in the same order, computed on a Dask cluster."""
    from .distributed import outcomes
    return _with_progress(outcomes(sources, opts, workers, scheduler), len(sources), progress)
