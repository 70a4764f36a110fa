"""The ``dask`` engine: the same extraction, run on a Dask cluster.

``vnextract extract ... --engine dask`` starts a ``LocalCluster`` of ``--workers``
processes (one thread each); with ``--scheduler ADDRESS`` it uses the workers of
a running scheduler instead. Either way:

* the documents are cut into small batches (up to 64 documents, about 128 KB)
  and each batch is one task, processed on a worker by the same ``_outcome``
  as the local engine, so the lines are the same bytes (a long document's lines
  come back as one string: the worker writes them piece by piece to a temporary
  file, not to the client's spill folder, which it may not see);
* tasks are submitted in input order and their results taken in that order,
  with a bounded number of batches in flight: the output keeps the input
  order, and neither the client nor the cluster holds more than that window;
* a worker that dies takes no document with it: the scheduler runs its tasks
  again elsewhere (up to ``distributed.scheduler.allowed-failures`` deaths per
  task), and a task that raised is retried (``retries``);
* a batch that still fails (``KilledWorker``: its workers kept dying) is run
  again one document per task, and a document whose own task still fails
  becomes an ``extract_error`` record naming the file, not a failed run.

The workers read the inputs themselves, at the paths the client gives (relative
paths are resolved against the client's working folder): the inputs must be on
a filesystem that every worker sees at the same path.

Dask is an optional extra (``pip install "vnextract[dask]"``), imported only here.
"""
from __future__ import annotations

import hashlib
import logging
import os
import signal
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager

from . import __version__
from .batch import Input, Options, Outcome, UsageError, _outcome
from .models import SCHEMA_VERSION
from .patterns import PATTERNS_DIR

BATCH_DOCS = 64  # documents in one task at most
BATCH_BYTES = 128 << 10  # and about this many input bytes (some 0.1 to 0.5 s of work): a larger file is a task of its own
RETRIES = 2  # for a task that raised (a worker's death is counted by the scheduler, not here)
CONNECT_TIMEOUT = 30  # seconds to reach a scheduler
WORKERS_TIMEOUT = 60  # seconds for a scheduler to have a worker
INSTALL_HINT = 'install the optional extra: pip install "vnextract[dask]"'


def require_dask() -> None:
    """Raise a UsageError (exit status 2) naming the extra when Dask cannot be imported."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as e:
        raise UsageError(f"--engine dask needs dask.distributed, which cannot be imported ({e}): "
                         f"{INSTALL_HINT}") from None


# -- on the workers ----------------------------------------------------------------------

def run_batch(batch: list[Input], opts: Options, cwd: str | None) -> list[Outcome]:
    """A task: the outcomes of a few documents, read from the paths the client gave."""
    with _working_dir(cwd):
        return [_outcome(inp, opts) for inp in batch]


_cwd_lock = threading.Condition()
_cwd_users = 0
_cwd_before: str | None = None


@contextmanager
def _working_dir(cwd: str | None) -> Iterator[None]:
    """Run in the client's working folder, so that relative input paths read the same files.

    The working folder is per process: the worker's threads share it while they need the
    same folder, and one that needs another waits. Left as it was when the last one ends.
    """
    global _cwd_users, _cwd_before
    if cwd is None:
        yield
        return
    with _cwd_lock:
        while _cwd_users and os.getcwd() != cwd:
            _cwd_lock.wait()
        if not _cwd_users:
            _cwd_before = os.getcwd()
            if _cwd_before != cwd:
                os.chdir(cwd)  # a folder this worker lacks: the task fails, its documents become error records
        _cwd_users += 1
    try:
        yield
    finally:
        with _cwd_lock:
            _cwd_users -= 1
            if not _cwd_users:
                if _cwd_before is not None and os.getcwd() != _cwd_before:
                    try:
                        os.chdir(_cwd_before)
                    except OSError:
                        pass
                _cwd_lock.notify_all()


def worker_facts(cwd: str | None, probe: str | None) -> dict:
    """What the client checks on each worker before a run: the same vnextract, the inputs in reach."""
    readable = None
    if probe is not None:
        path = probe if cwd is None or os.path.isabs(probe) else os.path.join(cwd, probe)
        readable = os.access(path, os.R_OK)
    return {"version": __version__, "schema_version": SCHEMA_VERSION, "patterns": patterns_digest(),
            "readable": readable}


def patterns_digest() -> str:
    """A digest of the pattern files in use: workers with other patterns would give other records."""
    h = hashlib.sha256()
    for p in sorted(PATTERNS_DIR.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(PATTERNS_DIR).as_posix().encode() + b"\0")
            h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


# -- on the client -----------------------------------------------------------------------

def batches(sources: Iterable[Input], docs: int = BATCH_DOCS, size: int = BATCH_BYTES) -> Iterator[list[Input]]:
    """Consecutive inputs in groups of at most ``docs`` documents and about ``size`` bytes."""
    batch: list[Input] = []
    total = 0
    for inp in sources:
        n = _size(inp)
        if batch and (len(batch) >= docs or total + n > size):
            yield batch
            batch, total = [], 0
        batch.append(inp)
        total += n
    if batch:
        yield batch


def _size(inp: Input) -> int:
    if inp.failure:
        return 0
    if inp.data is not None:
        return len(inp.data)
    try:
        return os.stat(inp.source).st_size
    except OSError:
        return 0


def _connect(address: str):
    from distributed import Client
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except (OSError, TimeoutError):
        client.close()
        raise UsageError(f"the Dask scheduler at {address} has no worker after {WORKERS_TIMEOUT} s: "
                         f"start some with `dask worker {address}`") from None
    return client


def _working_folder(sources: list[Input]) -> str | None:
    """The client's working folder when some input path is relative (the workers go there to read it)."""
    relative = any(not s.failure and s.data is None and s.source != "-" and not os.path.isabs(s.source)
                   for s in sources)
    return os.getcwd() if relative else None


def check_workers(client, sources: list[Input]) -> None:
    """Fail early (UsageError) when a worker runs another vnextract or cannot read the inputs."""
    cwd = _working_folder(sources)
    # One input the client can read: each worker must read it too, at the same path.
    probe = next((s.source for s in sources if not s.failure and s.data is None and s.source != "-"
                  and os.path.isfile(s.source) and os.access(s.source, os.R_OK)), None)
    try:
        facts = client.run(worker_facts, cwd, probe)
    except Exception as e:
        raise UsageError(f"the Dask workers cannot run vnextract ({type(e).__name__}: {e}): install the same "
                         "vnextract, with its pattern files, on every worker") from None
    mine = worker_facts(None, None)
    for address, theirs in sorted(facts.items()):
        for what in ("version", "schema_version", "patterns"):
            if theirs[what] != mine[what]:
                raise UsageError(f"the Dask worker {address} runs another vnextract ({what} {theirs[what]!r}, "
                                 f"here {mine[what]!r}): its records would differ; install the same one")
        if theirs["readable"] is False:
            raise UsageError(f"the Dask worker {address} cannot read {probe}: the inputs must be on a filesystem "
                             "every worker sees at the same path")


def preflight(scheduler: str | None, sources: list[Input]) -> None:
    """Checks made before any output is written: Dask installed, the scheduler and its workers usable."""
    require_dask()
    if scheduler and sources:
        client = _connect(scheduler)
        try:
            check_workers(client, sources)
        finally:
            client.close()


def outcomes(sources: list[Input], opts: Options, workers: int = 1, scheduler: str | None = None, *,
             batch_docs: int = BATCH_DOCS, batch_bytes: int = BATCH_BYTES, retries: int = RETRIES,
             window: int | None = None) -> Iterator[Outcome]:
    """The outcome of each input, in input order, computed on a Dask cluster.

    ``scheduler``: the address of a running scheduler; None starts a LocalCluster of
    ``workers`` processes of one thread each, closed at the end. ``window``: batches in
    flight at most (default four per worker thread).
    """
    require_dask()
    if not sources:
        return
    import dask
    from distributed import Client, LocalCluster
    with ExitStack() as stack:
        if scheduler:
            client = _connect(scheduler)
            stack.callback(client.close)
        else:
            # No dashboard, so no use for the workers' statistical profiler (a few % of their time).
            with _children_ignore_interrupt(), dask.config.set({"distributed.worker.profile.enabled": False}):
                cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                    # no dashboard; its HTTP server on a free loopback port, so that runs side by side do not collide
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, silence_logs=logging.ERROR)
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster, set_as_default=False))
        check_workers(client, sources)
        threads = sum(client.nthreads().values()) or 1
        yield from _in_order(client, sources, opts, _working_folder(sources), batch_docs, batch_bytes,
                             retries, window or max(4, 4 * threads))


@contextmanager
def _children_ignore_interrupt() -> Iterator[None]:
    """Processes started meanwhile ignore Ctrl-C (as the local engine's pool does): the client
    alone handles it, and closes the cluster."""
    try:
        before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _in_order(client, sources: list[Input], opts: Options, cwd: str | None, batch_docs: int,
              batch_bytes: int, retries: int, window: int) -> Iterator[Outcome]:
    run = uuid.uuid4().hex[:12]
    todo = enumerate(batches(sources, batch_docs, batch_bytes))
    flying: deque = deque()  # (index, batch, future), in input order

    def submit_next() -> None:
        for i, batch in todo:
            flying.append((i, batch, client.submit(run_batch, batch, opts, cwd, key=f"vnextract-batch-{run}-{i}",
                                                   retries=retries, pure=False)))
            return

    for _ in range(window):
        submit_next()
    try:
        while flying:
            i, batch, future = flying.popleft()
            try:
                done = future.result()
            except Exception:
                if future.status != "error":
                    raise  # the client lost the scheduler, or the task was cancelled: the run fails
                done = None
            future.release()  # the cluster may forget the batch's results now
            submit_next()
            if done is None:
                done = _one_by_one(client, batch, opts, cwd, retries, f"{run}-{i}")
            yield from done
    finally:
        for _, _, future in flying:
            future.cancel()


def _one_by_one(client, batch: list[Input], opts: Options, cwd: str | None, retries: int,
                tag: str) -> list[Outcome]:
    """A batch whose task failed, run again one document per task; a failing document is an error record.

    One task at a time: a document that kills its worker then shares the worker with none of
    its batch's other documents, which the scheduler would otherwise count as suspects too.
    """
    done: list[Outcome] = []
    for j, inp in enumerate(batch):
        future = client.submit(run_batch, [inp], opts, cwd, key=f"vnextract-doc-{tag}-{j}", retries=retries,
                               pure=False)
        try:
            done.extend(future.result())
        except Exception as e:
            if future.status != "error":
                raise
            done.append(_outcome(Input(inp.source, failure=("extract_error", _failure_message(inp.source, e))), opts))
        finally:
            future.release()
    return done


def _failure_message(source: str, e: BaseException) -> str:
    from distributed import KilledWorker
    if isinstance(e, KilledWorker):
        return (f"{source}: the worker process died while extracting it, on {e.allowed_failures + 1} "
                "workers in turn (KilledWorker)")
    return f"{source}: on the Dask worker: {type(e).__name__}: {e}"
