"""The orchestrator over one text: normalise -> extract -> resolve -> validate.

``extract(text, lang)`` is the library's main verb; ``analyse`` also returns
the dropped candidates, for ``explain --candidates``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .candidates import Candidate
from .extract import find_candidates
from .models import MENTION_ADAPTER, DocRef, Mention, Reference
from .patterns import check_lang, lexicon
from .resolve import resolve
from .textview import TextView, make_view


# Long texts are analysed in pieces of about this many characters, cut at paragraph
# (else line, else word) boundaries: memory and each regex's time budget stay bounded.
CHUNK_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Dropped:
    """A candidate that did not become a mention, with offsets into the original text."""
    type: str
    start: int
    end: int
    pattern: str
    status: str  # overlap / rejected / invalid / blocked
    reason: str


@dataclass(frozen=True)
class Analysis:
    mentions: list[Mention]
    dropped: list[Dropped]

    @property
    def rejected_count(self) -> int:
        """Matches that validation refused (not those that lost an overlap)."""
        return sum(1 for d in self.dropped if d.status in ("rejected", "invalid"))


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


def _analyse_piece(text: str, lang: str, offset: int = 0) -> Analysis:
    view = make_view(text)
    cands = find_candidates(view, lang)
    chosen = resolve(cands, view, lexicon(lang))
    mentions: list[Mention] = []
    for c in chosen:
        data = _to_mention(c, view, lang)
        if offset:
            data["start"] += offset
            data["end"] += offset
        try:
            mentions.append(MENTION_ADAPTER.validate_python(data))
        except ValueError as e:  # pydantic.ValidationError is a ValueError
            c.status, c.reason = "invalid", str(e).replace("\n", " ")
    dropped = []
    for c in cands:
        if c.status != "kept":
            s, e = view.span_to_original(c.start, c.end)
            dropped.append(Dropped(c.type, s + offset, e + offset, c.pattern, c.status, c.reason))
    return Analysis(mentions, dropped)


def split_text(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``(offset, piece)`` pairs covering ``text``, cut at the last paragraph break,
    else line break, else space in the second half of each ``size`` window."""
    return list(iter_pieces(text, size))


def iter_pieces(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """The pairs of ``split_text`` one at a time: only the piece in hand is copied."""
    pos, n = 0, len(text)
    while n - pos > size:
        window_end = pos + size
        cut = -1
        for sep in ("\n\n", "\n", " "):
            i = text.rfind(sep, pos + size // 2, window_end)
            if i != -1:
                cut = i + len(sep)
                break
        if cut == -1:
            cut = window_end
        yield pos, text[pos:cut]
        pos = cut
    yield pos, text[pos:]


def iter_piece_analyses(text: str, lang: str) -> Iterator[Analysis]:
    """The analysis of each piece of ``text`` (see ``split_text``), in order, with offsets
    into the whole text; its mentions as found (not sorted) and not yet linked across
    pieces (``FullCodes``). One piece is analysed only when the previous one is taken."""
    check_lang(lang)
    for offset, piece in iter_pieces(text, CHUNK_CHARS):
        yield _analyse_piece(piece, lang, offset)


class FullCodes:
    """Full codes that short references take across pieces: for each (kind, number), the
    first reference with a full code, in document order (the order in which pieces'
    mentions are given to ``learn``). A short reference is a ``DocRef`` with no
    ``canonical``; it takes that reference's canonical, issuer, year and issuer label."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, int], dict[str, Any]] = {}

    @staticmethod
    def key(m: DocRef) -> tuple[str | None, int]:
        return (m.kind, m.number)

    def learn(self, mentions: Iterable[Mention]) -> None:
        """Take note of the full codes among ``mentions`` (a piece's, pieces in order)."""
        for m in mentions:
            if isinstance(m, DocRef) and m.canonical and m.kind:
                self._first.setdefault((m.kind, m.number), {
                    "canonical": m.canonical, "issuer": m.issuer, "year": m.year, "issuer_label": m.issuer_label})

    def knows(self, key: tuple[str | None, int]) -> bool:
        return key in self._first

    def update(self, key: tuple[str | None, int]) -> dict[str, Any]:
        """The fields a short reference of ``key`` takes (KeyError when no full code is known)."""
        return self._first[key]

    def link(self, m: Mention) -> Mention:
        """``m`` with its full code when it is a short reference whose full code is known."""
        if isinstance(m, DocRef) and m.canonical is None and (m.kind, m.number) in self._first:
            return m.model_copy(update=self._first[(m.kind, m.number)])
        return m

    def waits(self, m: Mention) -> bool:
        """Whether ``m`` is a short reference whose full code is not known (yet): one that a
        later piece may still resolve."""
        return (isinstance(m, DocRef) and m.canonical is None and bool(m.kind)
                and (m.kind, m.number) not in self._first)


def _link_across_pieces(mentions: list[Mention]) -> list[Mention]:
    """Short references resolved against full codes found in other pieces."""
    codes = FullCodes()
    codes.learn(mentions)
    return [codes.link(m) for m in mentions]


def analyse(text: str, lang: str) -> Analysis:
    """Run every stage on ``text`` and keep the dropped candidates with their reasons."""
    check_lang(lang)
    if len(text) <= CHUNK_CHARS:
        a = _analyse_piece(text, lang)
        return Analysis(sorted(a.mentions, key=lambda m: (m.start, m.end)), a.dropped)
    mentions: list[Mention] = []
    dropped: list[Dropped] = []
    for a in iter_piece_analyses(text, lang):
        mentions.extend(a.mentions)
        dropped.extend(a.dropped)
    mentions = _link_across_pieces(mentions)
    return Analysis(sorted(mentions, key=lambda m: (m.start, m.end)), dropped)


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
