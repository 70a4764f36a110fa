"""Loaded into each Dask worker of a test (``distributed.worker.preload``): documents that hurt their worker.

* a file whose name holds ``kill-once`` kills the worker process processing it (SIGKILL),
  the first time only across all workers (``VNEXTRACT_TEST_MARKER`` names the file that
  remembers it): the scheduler runs the task again on another worker;
* a file whose name holds ``crash-always`` ends the worker process (``os._exit``) every time.
"""
from __future__ import annotations

import os
import signal

from pipeline import batch

_read_input = batch.read_input


def read_input(inp, opts):
    name = os.path.basename(inp.source)
    if "crash-always" in name:
        os._exit(3)
    if "kill-once" in name:
        try:
            os.close(os.open(os.environ["VNEXTRACT_TEST_MARKER"], os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            pass
        else:
            os.kill(os.getpid(), signal.SIGKILL)
    return _read_input(inp, opts)


def dask_setup(worker) -> None:
    batch.read_input = read_input
