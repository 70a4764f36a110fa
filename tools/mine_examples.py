"""Propose pattern examples from the gold corpus (a maintainer's tool).

For gold mentions that the pipeline already gets right, take the sentence
around the mention, check that the pattern reproduces it on that excerpt
alone, and append it to the pattern's ``examples`` in its YAML file, with a
comment naming the corpus document. At most ``--per-pattern`` new examples
per pattern, chosen to differ in shape.

    python tools/mine_examples.py corpus/gold.jsonl --per-pattern 6 [--write]
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from pipeline import extract
from pipeline.pattern_check import Case, check
from pipeline.patterns import PATTERNS_DIR, ExpectedMention, compiled_patterns

FIELDS = {"doc_ref": ("canonical", "number", "kind", "issuer", "year"), "date": ("value",), "period": ("value",),
          "money": ("amount", "currency"), "percent": ("value",), "quantity": ("value", "unit"),
          "fraction": ("numerator", "denominator", "unit"), "rank": ("rank", "out_of")}


def excerpt(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start - 1), text.rfind("\n", 0, start), start - 90, -1) + 1
    right_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates + [end + 60, len(text)])
    return text[left:right].strip()


def shape(s: str) -> str:
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "a", s))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--per-pattern", type=int, default=6)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    corpus = Path(a.gold).parent
    sources = {}
    for lang in ("fr", "en", "vi"):
        for cp in compiled_patterns(lang):
            sources[cp.id] = (PATTERNS_DIR / cp.source, cp.record)
    existing = {(pid, ex.text) for pid, (_, rec) in sources.items() for ex in rec.examples}
    chosen: dict[str, list[tuple[str, str, dict, str]]] = defaultdict(list)
    shapes: dict[str, set[str]] = defaultdict(set)
    for line in open(a.gold, encoding="utf-8"):
        g = json.loads(line)
        text = (corpus / g["doc"]).read_bytes().decode("utf-8-sig")
        for gm in g["mentions"]:
            snippet = excerpt(text, gm["start"], gm["end"])
            if not (15 <= len(snippet) <= 220) or gm["text"] not in snippet:
                continue
            ms = [m for m in extract(snippet, g["lang"]) if m.type == gm["type"] and m.text == gm["text"]]
            if not ms:
                continue
            m = ms[0]
            fields = {k: gm.get(k) for k in FIELDS[gm["type"]] if k in gm}
            pid = m.pattern
            if pid not in sources or (pid, snippet) in existing or len(chosen[pid]) >= a.per_pattern:
                continue
            sh = shape(gm["text"]) + "|" + g["lang"]
            if sh in shapes[pid] and len(chosen[pid]) >= 2:
                continue
            rec = sources[pid][1]
            case = Case(pid, g["doc"], rec, g["lang"], snippet, (ExpectedMention(text=gm["text"], fields=fields),))
            if check(case) is None:
                chosen[pid].append((snippet, g["lang"], {"text": gm["text"], "fields": fields}, g["doc"]))
                shapes[pid].add(sh)
                existing.add((pid, snippet))
    total = sum(len(v) for v in chosen.values())
    print(f"{total} examples for {len(chosen)} patterns")
    if not a.write:
        return
    by_file: dict[Path, dict[str, list]] = defaultdict(dict)
    for pid, items in chosen.items():
        by_file[sources[pid][0]][pid] = items
    for path, per_pid in by_file.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for pid, items in per_pid.items():
            start = lines.index(f"  - id: {pid}")
            end = next((i for i in range(start + 1, len(lines))
                        if lines[i].startswith("  - id: ") or lines[i].startswith("    counter_examples:")), len(lines))
            while end > start and not lines[end - 1].strip():
                end -= 1
            block = []
            for snippet, lang, exp, doc in items:
                block.append(f"      # {doc}")
                block.append(f"      - text: {json.dumps(snippet, ensure_ascii=False)}")
                block.append(f"        lang: {lang}")
                block.append(f"        expect: [{json.dumps(exp, ensure_ascii=False)}]")
            lines[end:end] = block
        path.write_text("\n".join(lines), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
