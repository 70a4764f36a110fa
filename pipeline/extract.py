"""Extract stage: run every pattern of a language over a text view.

Each pattern runs on the view its file declares (``norm`` or ``fold``), with
the ``regex`` module's timeout. A match its builder rejects is kept as a
rejected candidate (with the reason), never silently dropped.
"""
from __future__ import annotations

from .builders import BUILDERS, BuildContext
from .candidates import Candidate, Rejected
from .patterns import REGEX_TIMEOUT, CompiledPattern, LanguageLexicon, compiled_patterns, lexicon
from .prefilter import TextIndex, finditer
from .tables import table_candidates
from .textview import TextView


class PatternTimeout(RuntimeError):
    """A pattern exceeded the regex timeout on a document."""


def find_candidates(view: TextView, lang: str) -> list[Candidate]:
    """All candidates of all patterns for ``lang``; rejected ones carry status "rejected"."""
    lex = lexicon(lang)
    out: list[Candidate] = []
    fold_index = TextIndex(view.fold)
    norm_index = fold_index if view.norm == view.fold else TextIndex(view.norm)
    for cp in compiled_patterns(lang):
        index = fold_index if cp.view == "fold" else norm_index
        try:
            matches = finditer(cp.regex, cp.plan, index, REGEX_TIMEOUT)
        except TimeoutError as e:
            raise PatternTimeout(f"pattern {cp.id} ({cp.source}) exceeded {REGEX_TIMEOUT}s") from e
        if not matches:
            continue
        ctx = BuildContext(view, lex, cp.record)
        build = BUILDERS[cp.record.build]
        for m in matches:
            try:
                _check_context(cp, m, view, lex)
                out.extend(build(m, ctx))
            except Rejected as r:
                out.append(Candidate(cp.record.type, m.start(), m.end(), {}, cp.id, cp.record.priority,
                                     status="rejected", reason=str(r)))
    out.extend(table_candidates(view, lex))
    _block_zones(out, view, lex, fold_index)
    return out


def _check_context(cp: CompiledPattern, m, view: TextView, lex: LanguageLexicon) -> None:
    """The conditions of a pattern's options that its regex cannot state."""
    if cp.not_after is not None and cp.not_after.search(view.norm, max(0, m.start() - 80), m.start()):
        raise Rejected("excluded by the text before it (options.not_after)")
    if cp.not_before is not None and cp.not_before.match(view.norm, m.end()):
        raise Rejected("excluded by the text after it (options.not_before)")
    for group, table in cp.record.options.exact.items():
        if m.group(group) is not None and not lex.spelled(table, view.norm[m.start(group):m.end(group)]):
            raise Rejected(f"{view.norm[m.start(group):m.end(group)]!r} is not spelled as an entry of {table}")


def _block_zones(cands: list[Candidate], view: TextView, lex: LanguageLexicon, index: TextIndex) -> None:
    """Drop candidates inside URLs, e-mail addresses and clock times."""
    zone_re = lex.compiled_variable("no_mention_zone")
    if zone_re is None or not cands:
        return
    try:
        zones = [m.span() for m in finditer(zone_re, lex.variable_plan("no_mention_zone"), index, REGEX_TIMEOUT)]
    except TimeoutError as e:
        raise PatternTimeout(f"no_mention_zone exceeded {REGEX_TIMEOUT}s") from e
    if not zones:
        return
    for c in cands:
        if c.status == "kept" and any(s < c.end and c.start < e for s, e in zones):
            c.status, c.reason = "blocked", "inside a URL, an address or a clock time"
