"""The orchestrator over one text: normalise -> extract -> resolve -> validate.

``extract(text, lang)`` is the library's main verb; ``analyse`` also returns
the dropped candidates, for ``explain --candidates``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .candidates import Candidate
from .extract import find_candidates
from .models import MENTION_ADAPTER, DocRef, Mention, Reference
from .patterns import check_lang, lexicon
from .resolve import resolve
from .textview import TextView, make_view


@dataclass(frozen=True)
class Analysis:
    view: TextView
    mentions: list[Mention]
    candidates: list[Candidate]  # every candidate, with status kept / overlap / rejected / invalid

    @property
    def rejected(self) -> list[Candidate]:
        return [c for c in self.candidates if c.status != "kept"]


def _to_mention(c: Candidate, view: TextView, lang: str) -> dict[str, Any]:
    s, e = c.start, c.end
    norm = view.norm
    while s < e and norm[s].isspace():
        s += 1
    while e > s and norm[e - 1].isspace():
        e -= 1
    os_, oe = view.span_to_original(s, e)
    data: dict[str, Any] = {"type": c.type, "start": os_, "end": oe, "text": view.original[os_:oe],
                            "pattern": c.pattern, **c.fields}
    if c.type == "doc_ref":
        common = lexicon(lang)
        if data.get("kind"):
            data["kind_label"] = common.lookup("kind_code", data["kind"])
        if data.get("issuer"):
            data["issuer_label"] = common.lookup("issuer_label", data["issuer"])
    return data


def analyse(text: str, lang: str) -> Analysis:
    """Run every stage on ``text`` and keep the dropped candidates with their reasons."""
    check_lang(lang)
    view = make_view(text)
    cands = find_candidates(view, lang)
    chosen = resolve(cands, view, lexicon(lang))
    mentions: list[Mention] = []
    for c in chosen:
        try:
            mentions.append(MENTION_ADAPTER.validate_python(_to_mention(c, view, lang)))
        except ValueError as e:  # pydantic.ValidationError is a ValueError
            c.status, c.reason = "invalid", str(e).replace("\n", " ")
    mentions.sort(key=lambda m: (m.start, m.end))
    return Analysis(view, mentions, cands)


def extract(text: str, lang: str) -> list[Mention]:
    """The validated mentions of ``text`` in language ``lang``, sorted by offset."""
    return analyse(text, lang).mentions


def references(mentions: list[Mention]) -> list[Reference]:
    """Each distinct canonical code with its count and the offsets of its mentions."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in mentions:
        if isinstance(m, DocRef) and m.canonical:
            spans[m.canonical].append((m.start, m.end))
    return [Reference(canonical=k, count=len(v), offsets=v) for k, v in sorted(spans.items())]
