"""Run every example and counter-example of every pattern file.

Used by the generic pytest (one test id per example, such as
``doc_ref.party#3``) and by ``python -m pipeline patterns check``.
An example passes when the full pipeline yields each expected mention,
with its fields, from this very pattern; a counter-example passes when the
pipeline yields nothing from this pattern.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .document import extract
from .patterns import ExpectedMention, PatternRecord, compiled_patterns, languages, load_pattern_file, pattern_files
from .textview import make_view


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    record: PatternRecord
    lang: str
    text: str
    expect: tuple[ExpectedMention, ...]  # empty for a counter-example


def cases() -> Iterator[Case]:
    for path in pattern_files():
        pf = load_pattern_file(path)
        default_lang = pf.lang if pf.lang != "all" else "fr"
        for rec in pf.patterns:
            n = 0
            for ex in rec.examples:
                n += 1
                yield Case(f"{rec.id}#{n}", str(path), rec, ex.lang or default_lang, ex.text, tuple(ex.expect))
            for ce in rec.counter_examples:
                n += 1
                text, lang = (ce, None) if isinstance(ce, str) else (ce.text, ce.lang)
                yield Case(f"{rec.id}#{n}", str(path), rec, lang or default_lang, text, ())


def _same(expected, actual) -> bool:
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and not isinstance(expected, bool):
        return abs(expected - actual) <= 1e-9 * max(1.0, abs(expected))
    return expected == actual


def check(case: Case) -> str | None:
    """None when the case passes, else what went wrong."""
    if case.lang not in languages():
        return f"{case.source}: {case.id}: unknown language {case.lang!r}"
    missed = requires_miss(case.record.id, case.lang, case.text)
    if missed:
        return f"{case.source}: {case.id}: {missed}"
    mentions = extract(case.text, case.lang)
    if not case.expect:
        bad = [m for m in mentions if m.pattern == case.record.id]
        if bad:
            return f"{case.source}: {case.id}: counter-example {case.text!r} produced {[m.text for m in bad]}"
        return None
    for exp in case.expect:
        hits = [m for m in mentions if m.text == exp.text and m.type == (exp.type or case.record.type)]
        if not hits:
            got = [(m.type, m.text, m.pattern) for m in mentions]
            return f"{case.source}: {case.id}: {exp.text!r} not found in {case.text!r}; got {got}"
        m = hits[0]
        if exp.type is None and m.pattern != case.record.id:
            return f"{case.source}: {case.id}: {exp.text!r} came from {m.pattern}, not {case.record.id}"
        data = m.model_dump()
        for k, v in exp.fields.items():
            if k not in data:
                return f"{case.source}: {case.id}: {exp.text!r} has no field {k!r}"
            if not _same(v, data[k]):
                return f"{case.source}: {case.id}: {exp.text!r}: {k} is {data[k]!r}, expected {v!r}"
    return None


def requires_miss(pattern_id: str, lang: str, text: str) -> str:
    """Why the ``requires`` literals of a pattern would skip ``text`` although its regex
    matches there ("" when they would not)."""
    for cp in compiled_patterns(lang):
        if cp.id != pattern_id or not cp.requires:
            continue
        view = make_view(text)
        m = cp.regex.search(view.fold if cp.view == "fold" else view.norm)
        if m is not None and not any(lit in view.fold for lit in cp.requires):
            return (f"the regex matches {m.group()!r}, but the text holds none of the literals "
                    f"of requires ({', '.join(cp.requires)})")
    return ""


def check_all() -> tuple[list[str], int]:
    failures, count = [], 0
    for case in cases():
        count += 1
        problem = check(case)
        if problem:
            failures.append(problem)
    return failures, count
