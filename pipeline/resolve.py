"""Resolve stage: choose among overlapping candidates, then link mentions.

1. Overlaps: candidates are taken by priority, then length, then position;
   one that overlaps a chosen candidate is dropped with the winner named
   (the ``119`` of ``119/119 communes``, the ``2025`` of ``70/2025/NĐ-CP``).
2. Links, within one document:
   * a short reference (``la résolution 25``) takes the canonical code,
     issuer and year of the full code the text gives for that kind and number;
   * an amount written without its currency (``dont 94 milliards``) takes the
     currency of the amount before it in the same passage, or becomes a count;
   * a code followed by its date (``25-NQ/TW, en date du 3 juin 2013``)
     takes it as ``issued``; a body named right after it as ``issuing_body``.
"""
from __future__ import annotations

import bisect

import regex

from .candidates import Candidate
from .patterns import LanguageLexicon
from .textview import TextView

CURRENCY_REACH = 400  # characters back to look for the currency of a bare amount
ISSUED_REACH = 120  # characters between a code and the date that issues it
QUALIFIER_REACH = 30  # characters before a figure where its qualifier may stand
FRACTION_CHECK_REACH = 100  # characters after a fraction where its stated share may stand
_SENTENCE_END = regex.compile(r"[.;!?\n](?!\d)")
_DECIMALS = regex.compile(r"\d[.,](\d+)")


def choose(cands: list[Candidate]) -> list[Candidate]:
    """Greedy selection of non-overlapping candidates; losers get status "overlap"."""
    live = [c for c in cands if c.status == "kept"]
    live.sort(key=lambda c: (-c.priority, -c.length, c.start))
    chosen: list[Candidate] = []
    # Chosen spans kept sorted by start for an O(log n) overlap test.
    starts: list[int] = []
    for c in live:
        i = bisect.bisect_left(starts, c.start)
        # Chosen spans are disjoint, so only the neighbours on each side can clash.
        clash = next((chosen[j] for j in (i - 1, i) if 0 <= j < len(chosen) and chosen[j].overlaps(c)), None)
        if clash is not None:
            c.status, c.reason = "overlap", f"overlaps {clash.pattern} {clash.start}:{clash.end}"
            continue
        chosen.insert(i, c)
        starts.insert(i, c.start)
    return chosen


DATE_RANGE_PATTERN = "period.date-range"


def _parts(value: str) -> list[str]:
    return value.split("-")


def join_date_ranges(mentions: list[Candidate], view: TextView, lex: LanguageLexicon) -> list[Candidate]:
    """Two dates joined by a range word (``period_link`` in the lexicon) make one period:
    ``15 octobre 1930 - 15 octobre 2024``, ``November 1 to December 15, 2024``
    (the start takes the year, or year and month, that only the end states)."""
    link = lex.compiled_variable("period_link")
    if link is None:
        return mentions
    out: list[Candidate] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        if (b is not None and a.type == "date" and b.type == "date"
                and link.fullmatch(view.fold, a.end, b.start)):
            start, end = _parts(a.fields["value"]), _parts(b.fields["value"])
            if len(start) == len(end) and start[0] == "XXXX" and end[0] != "XXXX":
                start[0] = end[0]
            if start[0] != "XXXX" and end[0] != "XXXX" and "-".join(start) < "-".join(end):
                out.append(Candidate("period", a.start, b.end, {"value": f"{'-'.join(start)}/{'-'.join(end)}"},
                                     DATE_RANGE_PATTERN, max(a.priority, b.priority)))
                a.status = b.status = "overlap"
                a.reason = b.reason = f"joined into {DATE_RANGE_PATTERN} {a.start}:{b.end}"
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def link_short_refs(mentions: list[Candidate]) -> None:
    """A short reference takes the code of the first full code of its kind and number; failing
    that, of the one full code of its number that names no kind (``Resolution 98`` and
    ``98/2023/QH15``: National Assembly codes carry no kind code)."""
    full: dict[tuple[str | None, int], dict] = {}
    kindless: dict[int, list[dict]] = {}
    for c in mentions:
        if c.type == "doc_ref" and not c.extra.get("short"):
            full.setdefault((c.fields["kind"], c.fields["number"]), c.fields)
            if c.fields["kind"] is None:
                kindless.setdefault(c.fields["number"], []).append(c.fields)
    for c in mentions:
        if c.type == "doc_ref" and c.extra.get("short"):
            target = full.get((c.fields["kind"], c.fields["number"]))
            if target is None and len({t["canonical"] for t in kindless.get(c.fields["number"], ())}) == 1:
                target = kindless[c.fields["number"]][0]
            if target is not None:
                c.fields.update(canonical=target["canonical"], issuer=target["issuer"], year=target["year"])


def inherit_currency(mentions: list[Candidate], view: TextView, default: str | None = None) -> None:
    last: Candidate | None = None
    for c in mentions:
        if c.type != "money":
            continue
        if c.fields.get("currency") is None:
            paragraph_break = last is not None and "\n" in view.norm[last.end:c.start]
            if last is not None and c.start - last.end <= CURRENCY_REACH and not paragraph_break:
                c.fields["currency"] = last.fields["currency"]
                c.extra["currency_from"] = f"{last.start}:{last.end}"
            elif default is not None:
                c.fields["currency"] = default
            else:
                c.type = "quantity"
                c.fields = {"value": c.fields["amount"], "unit": ""}
                continue
        last = c


def link_dates(mentions: list[Candidate], view: TextView, lex: LanguageLexicon) -> None:
    """``issued`` and ``issuing_body`` for the codes the text dates or attributes."""
    gap_re = lex.compiled_variable("issued_gap")
    body_re = lex.compiled_variable("issuing_body_after")
    for i, c in enumerate(mentions):
        if c.type != "doc_ref":
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        starts = [c.end]  # where the issuing body may be named: right after the code, or after its date
        if gap_re is not None and nxt is not None and nxt.type == "date" and nxt.start - c.end <= ISSUED_REACH:
            if gap_re.fullmatch(view.fold, c.end, nxt.start) and "-" in nxt.fields["value"]:
                c.fields["issued"] = nxt.fields["value"]
                starts.append(nxt.end)
        if body_re is not None:
            for at in starts:
                m = body_re.match(view.fold, at, min(len(view.fold), at + 80))
                if m:
                    c.fields["issuing_body"] = view.norm[m.start("body"):m.end("body")]
                    break


def annotate_qualifiers(mentions: list[Candidate], view: TextView, lex: LanguageLexicon) -> None:
    """``qualifier``: the bound the text puts right before a figure (plus de, over, hơn...)."""
    q_re = lex.compiled_variable("qualifier_before")
    if q_re is None:
        return
    for c in mentions:
        if c.type in ("quantity", "percent"):
            m = q_re.search(view.fold, max(0, c.start - QUALIFIER_REACH), c.start)
            if m:
                c.fields["qualifier"] = " ".join(view.norm[m.start("q"):m.end("q")].lower().split())


RANK_CUE_REACH = 120  # characters before an X/Y where a ranking word makes it a rank


def ranks_by_cue(mentions: list[Candidate], view: TextView, lex: LanguageLexicon) -> None:
    """An X/Y that counts nothing (no unit) after a ranking word of its sentence (the
    ``rank_cue`` list: ``classe``, ``ranked``, ``xếp``) is a rank: ``l'indice PAPI classe
    la province de Bac Ninh 27/63``."""
    if "rank_cue" not in lex.lists:
        return
    cue = lex.words("rank_cue")
    for c in mentions:
        if c.type != "fraction" or c.fields["unit"] or c.fields["numerator"] != int(c.fields["numerator"]):
            continue
        at = max(0, c.start - RANK_CUE_REACH)
        ends = list(_SENTENCE_END.finditer(view.fold, at, c.start))
        found = cue.finditer(view.fold, ends[-1].end() if ends else at, c.start)
        if any(lex.is_entry("rank_cue", view.norm[m.start():m.end()]) for m in found):
            c.type = "rank"
            c.fields = {"rank": int(c.fields["numerator"]), "out_of": int(c.fields["denominator"])}
            c.extra["rank_cue"] = True


def check_fractions(mentions: list[Candidate], view: TextView) -> None:
    """``check`` on a fraction followed in its sentence by a stated share
    (660/694 établissements, atteignant un taux de 95,1%): the computed share
    and whether it agrees with the stated one to the printed precision."""
    for i, c in enumerate(mentions):
        if c.type != "fraction":
            continue
        for nxt in mentions[i + 1:]:
            between = view.norm[c.end:nxt.start]
            if nxt.start - c.end > FRACTION_CHECK_REACH or _SENTENCE_END.search(between):
                break
            if nxt.type == "percent":
                stated = nxt.fields["value"]
                digits = _DECIMALS.search(view.norm[nxt.start:nxt.end])
                places = len(digits.group(1)) if digits else 0
                computed = round(100 * c.fields["numerator"] / c.fields["denominator"], places)
                c.fields["check"] = {"stated": stated, "computed": computed,
                                     "agrees": abs(computed - stated) < 10 ** -places / 2 + 1e-9}
                break


def resolve(cands: list[Candidate], view: TextView, lex: LanguageLexicon) -> list[Candidate]:
    chosen = join_date_ranges(choose(cands), view, lex)
    cands.extend(c for c in chosen if c.pattern == DATE_RANGE_PATTERN)
    link_short_refs(chosen)
    inherit_currency(chosen, view, lex.bare_amount_currency)
    link_dates(chosen, view, lex)
    annotate_qualifiers(chosen, view, lex)
    ranks_by_cue(chosen, view, lex)
    check_fractions(chosen, view)
    return chosen
