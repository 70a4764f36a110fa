"""Peak memory of the CLI on one large text file (200 MB by default).

    python benchmarks/bench_memory.py [--mb 200] [--lang fr] [--keep]

Writes the file in a temporary folder, runs ``python -m pipeline extract`` on it
in a child process and prints the child's peak resident set size
(``resource.getrusage(RUSAGE_CHILDREN)``), its wall time and what the record
says. Kept out of the test suite: it needs a few GB of memory and minutes.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200, help="size of the text file in MB (default 200)")
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vnextract-bench-"))
    try:
        text, out = tmp / "big.txt", tmp / "big.jsonl"
        write_text(text, a.mb * 1_000_000)
        cmd = [sys.executable, "-m", "pipeline", "extract", str(text), "-o", str(out), "--lang", a.lang,
               "--quiet", "--max-bytes", str(a.mb * 1_000_000 + 1)]
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, cwd=ROOT).returncode
        seconds = time.perf_counter() - t0
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
        rec = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        outcome = (f"error {rec['error']['code']}: {rec['error']['message']}" if rec.get("error")
                   else f"{len(rec.get('mentions', []))} mentions" if rec else "no output")
        print(f"input:      {text.stat().st_size / 1e6:.0f} MB of text")
        print(f"exit:       {rc} in {seconds:.1f} s")
        print(f"record:     {outcome}")
        print(f"peak RSS:   {peak_kb / 1024:.0f} MiB ({peak_kb * 1024 / text.stat().st_size:.1f} x the input)")
    finally:
        if a.keep:
            print(f"kept:       {tmp}")
        else:
            shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
