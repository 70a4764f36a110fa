"""Peak memory of the CLI on one large text file (200 MB by default).

    python benchmarks/bench_memory.py [--mb 200] [--lang fr] [--granularity document|mention]
                                      [--workers N] [--small 20] [--with-text] [--keep]

Writes the file in a temporary folder, with ``--small`` small documents beside it
(the French corpus texts, copied), runs ``python -m pipeline extract`` on the folder
in a child process and prints:

* the peak resident set size of the largest process (``getrusage(RUSAGE_CHILDREN)``:
  the CLI, or one of its ``--workers`` worker processes), against the input's size;
* the peak of the whole process tree, sampled every 0.2 s as the sum of each process's
  proportional set size (``Pss`` in ``/proc/PID/smaps_rollup``: pages shared by the
  forked workers counted once), on Linux;
* the wall time, and the summary's count of mentions.

Kept out of the test suite: it takes minutes (about 5 s per MB).
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = ("Le 20 août 2013, la Résolution n° 25-NQ/TW du Comité central a été adoptée ; "
             "119/119 communes ont atteint 95,1 % des objectifs, pour 88 millions de VND.\n")


def write_text(path: Path, size: int) -> None:
    block = (PARAGRAPH * ((1 << 20) // len(PARAGRAPH))).encode()
    with path.open("wb") as f:
        written = 0
        while written + len(block) <= size:
            f.write(block)
            written += len(block)
        f.write(b"x" * (size - written))


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from the parent ids in ``/proc/PID/stat``."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue  # the process ended meanwhile
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, ()))
    return found


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # the process ended meanwhile
    m = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
    return int(m.group(1)) if m else 0


class TreeSampler(threading.Thread):
    """Samples the summed Pss of a process tree until ``stop`` is set; ``peak_kb`` is its maximum."""

    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb = pid, every, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200, help="size of the text file in MB (default 200)")
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--granularity", choices=["document", "mention"], default="document")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--small", type=int, default=20, help="small documents beside the big one (default 20)")
    ap.add_argument("--with-text", action="store_true", help="also write each document's text")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vnextract-bench-"))
    try:
        folder, out = tmp / "in", tmp / "out.jsonl"
        folder.mkdir()
        text = folder / "big.txt"
        write_text(text, a.mb * 1_000_000)
        small = sorted((ROOT / "corpus" / "fr").glob("*.txt"))
        for i in range(a.small):
            shutil.copyfile(small[i % len(small)], folder / f"small-{i:03d}.txt")
        cmd = [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out), "--lang", a.lang,
               "--granularity", a.granularity, "--workers", str(a.workers),
               "--max-bytes", str(a.mb * 1_000_000 + 1), *(["--with-text"] if a.with_text else [])]
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        sampler = TreeSampler(child.pid)
        if Path("/proc/self/smaps_rollup").exists():
            sampler.start()
        stderr = child.communicate()[1]
        seconds = time.perf_counter() - t0
        sampler.stop.set()
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
        size = text.stat().st_size
        mentions = re.search(r"^mentions: (\d+)", stderr, re.M)
        print(f"command:    {' '.join(cmd[1:])}")
        print(f"input:      {size / 1e6:.0f} MB of text, and {a.small} small documents")
        print(f"exit:       {child.returncode} in {seconds:.1f} s")
        print(f"output:     {out.stat().st_size / 1e6:.0f} MB, {mentions.group(1) if mentions else '?'} mentions"
              if out.exists() else f"output:     none\n{stderr}")
        print(f"peak RSS:   {peak_kb / 1024:.0f} MiB in the largest process "
              f"({peak_kb * 1024 / size:.1f} x the big input)")
        if sampler.peak_kb:
            print(f"peak total: {sampler.peak_kb / 1024:.0f} MiB, all processes (Pss sampled every 0.2 s; "
                  f"{sampler.peak_kb * 1024 / size:.1f} x the big input)")
    finally:
        if a.keep:
            print(f"kept:       {tmp}")
        else:
            shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
