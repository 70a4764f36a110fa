"""Profile the pipeline with cProfile: where one worker's time goes.

    python benchmarks/profile_run.py                 # 2 MB of corpus/ repeated, top 25 by own time
    python benchmarks/profile_run.py --size-mb 5 --top 40 --sort cumulative

Patterns are loaded before profiling starts, so the table shows the cost
per document, not the start-up.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import build_corpus  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=2.0)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative...)")
    a = ap.parse_args()

    from pipeline.batch import Options, run
    from pipeline.patterns import compiled_patterns, languages

    for lang in languages():
        compiled_patterns(lang)
    work = Path(tempfile.mkdtemp(prefix="vnextract-profile-"))
    try:
        nbytes, nfiles = build_corpus(work / "corpus", a.size_mb)
        prof = cProfile.Profile()
        prof.enable()
        run([str(work / "corpus")], str(work / "out.jsonl"), Options(), workers=1, overwrite=True)
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.strip_dirs().sort_stats(a.sort).print_stats(a.top)
        print(f"{nfiles} files, {nbytes / 1e6:.1f} MB, total {stats.total_tt:.2f} s under the profiler")
        print(out.getvalue())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
