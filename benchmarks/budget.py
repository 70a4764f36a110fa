"""The time budget per mention that the throughput target leaves, and what the fixed costs take.

    python benchmarks/budget.py              # corpus/ read 5 times over

The target "pipeline >= 1/3 of the floor" gives, at the floor's speed, a
budget in seconds per MB. On texts as dense as the sample corpus (about
7,000 mentions per MB) that budget is shared by every mention. This script
measures, per MB of the sample corpus and in CPU seconds, the costs that do
not depend on how the extraction is written:

* the floor itself, as ``bench.py`` runs it (read each file, decode it, one
  ``finditer`` of the ten-alternative regex);
* validating the mentions with Pydantic (``MENTION_ADAPTER.validate_python``
  on the dicts the pipeline builds), once per mention as the issue asks;
* serialising them (``model_dump(mode="json")`` and ``json.dumps``);
* one ``finditer`` pass of each pattern of the text's language, matches
  iterated and nothing else done with them;

and prints what is left of the budget per mention. Nothing here is timed
by the test suite.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import FLOOR_ALTERNATIVES, LANGS, corpus_files  # noqa: E402


def cpu(fn, repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in CPU seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=5, help="times the corpus is read over (default 5)")
    a = ap.parse_args()

    import regex

    from pipeline.document import _analyse_piece, _to_mention
    from pipeline.extract import find_candidates
    from pipeline.models import MENTION_ADAPTER
    from pipeline.patterns import compiled_patterns, lexicon
    from pipeline.resolve import resolve
    from pipeline.textview import make_view

    docs = [(p.parent.name, p.read_text(encoding="utf-8")) for p in corpus_files()] * a.copies
    mb = sum(len(t.encode("utf-8")) for _, t in docs) / 1e6
    views = [(lang, make_view(t)) for lang, t in docs]
    for lang in LANGS:
        compiled_patterns(lang)

    floor_re = regex.compile("|".join(FLOOR_ALTERNATIVES))
    paths = corpus_files() * a.copies

    def floor_run():  # as bench.py's floor: read each file, decode, one finditer
        for p in paths:
            for _ in floor_re.finditer(p.read_bytes().decode("utf-8")):
                pass
    floor = cpu(floor_run) / mb

    # The mention dicts the pipeline validates, built once outside the clock.
    data = []
    for lang, v in views:
        for c in resolve(find_candidates(v, lang), v, lexicon(lang)):
            data.append(_to_mention(c, v, lang))
    per_mb = len(data) / mb
    validate = cpu(lambda: [MENTION_ADAPTER.validate_python(d) for d in data]) / mb
    models = [MENTION_ADAPTER.validate_python(d) for d in data]
    serialise = cpu(lambda: json.dumps([m.model_dump(mode="json") for m in models], ensure_ascii=False,
                                       separators=(",", ":"))) / mb

    def scans():
        for lang, v in views:
            for cp in compiled_patterns(lang):
                if cp.requires and not any(lit in v.fold for lit in cp.requires):
                    continue
                for _ in cp.regex.finditer(v.fold if cp.view == "fold" else v.norm):
                    pass
    scan = cpu(scans) / mb
    whole = cpu(lambda: [_analyse_piece(t, lang) for lang, t in docs], repeat=1) / mb

    budget = floor * 3  # seconds per MB at a third of the floor's speed
    fixed = floor + validate + serialise
    print(f"sample corpus x{a.copies}: {mb:.2f} MB, {per_mb:,.0f} mentions per MB")
    print(f"{'floor (read + one pass of the bench regex)':<44} {floor:7.3f} s/MB  ({1 / floor:5.1f} MB/s)")
    print(f"{'budget at 1/3 of the floor':<44} {budget:7.3f} s/MB  = {budget / per_mb * 1e6:5.1f} us per mention")
    print(f"{'Pydantic validation, once per mention':<44} {validate:7.3f} s/MB  = {validate / per_mb * 1e6:5.1f} us per mention")
    print(f"{'serialisation (model_dump + json.dumps)':<44} {serialise:7.3f} s/MB  = {serialise / per_mb * 1e6:5.1f} us per mention")
    print(f"{'left after one regex pass, validation, JSON':<44} {budget - fixed:7.3f} s/MB  = "
          f"{(budget - fixed) / per_mb * 1e6:5.1f} us per mention for everything else")
    print(f"{'the patterns scans alone (no building)':<44} {scan:7.3f} s/MB  ({scan / budget:4.1f} x the budget)")
    print(f"{'analysis of a text, all stages':<44} {whole:7.3f} s/MB  ({whole / budget:4.1f} x the budget)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
