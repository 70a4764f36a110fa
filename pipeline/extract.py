"""Extract stage: run every pattern of a language over a text view.

Each pattern runs on the view its file declares (``norm`` or ``fold``), with
the ``regex`` module's timeout. A match its builder rejects is kept as a
rejected candidate (with the reason), never silently dropped.
"""
from __future__ import annotations

import bisect

from .builders import BUILDERS, BuildContext
from .candidates import Candidate, Rejected
from .patterns import REGEX_TIMEOUT, CompiledPattern, LanguageLexicon, compiled_patterns, lexicon
from .tables import table_candidates
from .textview import TextView


class PatternTimeout(RuntimeError):
    """A pattern exceeded the regex timeout on a document."""


def find_candidates(view: TextView, lang: str) -> list[Candidate]:
    """All candidates of all patterns for ``lang``; rejected ones carry status "rejected"."""
    lex = lexicon(lang)
    out: list[Candidate] = []
    folded = view.fold
    holds: dict[tuple[str, ...], bool] = {}  # patterns share literal sets ({month}, {currency}): test each once
    for cp in compiled_patterns(lang):
        if cp.requires:
            if cp.requires not in holds:
                holds[cp.requires] = any(lit in folded for lit in cp.requires)
            if not holds[cp.requires]:
                continue  # none of the words every match holds: nothing to scan for
        text = folded if cp.view == "fold" else view.norm
        ctx = BuildContext(view, lex, cp.record)
        build = BUILDERS[cp.record.build]
        try:
            matches = list(cp.regex.finditer(text, timeout=REGEX_TIMEOUT))
        except TimeoutError as e:
            raise PatternTimeout(f"pattern {cp.id} ({cp.source}) exceeded {REGEX_TIMEOUT}s") from e
        for m in matches:
            try:
                _check_context(cp, m, view, lex)
                out.extend(build(m, ctx))
            except Rejected as r:
                out.append(Candidate(cp.record.type, m.start(), m.end(), {}, cp.id, cp.record.priority,
                                     status="rejected", reason=str(r)))
    cells, index_cells = table_candidates(view, lex)
    out.extend(cells)
    _block_zones(out, view, lex, index_cells)
    return out


def _check_context(cp: CompiledPattern, m, view: TextView, lex: LanguageLexicon) -> None:
    """The conditions of a pattern's options that its regex cannot state."""
    if cp.not_after is not None and cp.not_after.search(view.norm, max(0, m.start() - 80), m.start()):
        raise Rejected("excluded by the text before it (options.not_after)")
    if (cp.not_after_bare is not None and _bare(m, view, lex)
            and cp.not_after_bare.search(view.norm, max(0, m.start() - 80), m.start())):
        raise Rejected("a bare number excluded by the text before it (options.not_after_bare)")
    if cp.not_before is not None and cp.not_before.match(view.norm, m.end()):
        raise Rejected("excluded by the text after it (options.not_before)")
    for group, table in cp.record.options.exact.items():
        if m.group(group) is not None and not lex.is_entry(table, view.norm[m.start(group):m.end(group)].lower()):
            raise Rejected(f"{view.norm[m.start(group):m.end(group)]!r} is not spelled as an entry of {table}")


def _bare(m, view: TextView, lex: LanguageLexicon) -> bool:
    """Whether the match counts nothing: no unit, or a stop word where the unit would be."""
    return m.group("unit") is None or lex.is_stop(view.norm[m.start("unit"):m.end("unit")].lower())


def _block_zones(cands: list[Candidate], view: TextView, lex: LanguageLexicon,
                 zones: list[tuple[int, int]]) -> None:
    """Drop candidates inside URLs, e-mail addresses, clock times, phone numbers
    (the ``zone_*`` lexicon variables) and the given zones (row-number cells of tables)."""
    zones = list(zones)
    for zone_re in lex.zones:
        try:
            zones.extend(m.span() for m in zone_re.finditer(view.fold, timeout=REGEX_TIMEOUT))
        except TimeoutError as e:
            raise PatternTimeout(f"a zone_* variable exceeded {REGEX_TIMEOUT}s") from e
    if not zones:
        return
    zones.sort()
    starts = [s for s, _ in zones]
    for c in cands:
        if c.status != "kept":
            continue
        # Zones are few and short: look at those starting before the candidate ends.
        i = bisect.bisect_left(starts, c.end)
        if any(zones[j][1] > c.start for j in range(max(0, i - 8), i)):
            c.status, c.reason = "blocked", "inside a URL, an address, a clock time, a phone number or a row number"
