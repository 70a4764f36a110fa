"""Run a pattern only where it can match, with the output of a full ``finditer``.

Most of a document is prose that no pattern can match, and ~30 patterns
each scanning all of it was most of the extract stage's time. What
``regex_shape`` derives from each regex lets us skip that work exactly:

1. **Skip.** Every match contains a string of each of the regex's required
   literal sets; when a document lacks all strings of one set, the pattern
   has no match in it (``trimestre``/``semestre``, a currency word...).
2. **Windows.** Otherwise, when the reach of the regex is bounded and it
   does not start with a digit, take the occurrences of its rarest literal
   set (the *anchors*) and around each one what an attempt that ends in a
   match can read: ``main + backward`` breaks before it (a match starts at
   most ``main`` breaks before its anchor, and its lookbehinds read further
   back) and ``forward`` breaks after, plus a margin. ``finditer`` runs over
   these windows joined by a NUL (no literal contains one, so no anchor
   straddles two windows). A match there contains an anchor, so it lies in
   that anchor's window and read nothing else: it is a match of the whole
   text at the mapped offset; and every match of the whole text lies in a
   window. Each one is matched again on the whole text at its offset (so
   builders get a real match object); a span that does not come out the
   same falls back to a full scan.
3. Otherwise (unbounded reach, no literal, a regex that starts with a digit,
   or anchors so dense that the windows would cover most of the text) the
   pattern scans the whole text.

``VNEXTRACT_PREFILTER=0`` in the environment turns all this off (every
pattern scans the whole text), for comparisons.
"""
from __future__ import annotations

import os
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

import regex

from .regex_shape import Shape, Unsupported, analyse

ENABLED = os.environ.get("VNEXTRACT_PREFILTER", "1") != "0"
MARGIN = 2            # extra breaks on each side of a window
MAX_COVER = 0.5       # above this share of the text in windows, scan the whole text
MERGE_GAP = 64        # windows closer than this are joined
BREAKS_TIMEOUT = 1.0  # seconds for finding the breaks of a text (a linear regex; every regex has a timeout)
SEP = "\x00"          # between windows: no literal of ours contains NUL, so no anchor straddles two

# A break: a whitespace run, unless a digit is right before and right after it (1 234).
_BREAK = regex.compile(r"((?<!\s)(?:(?<!\d)\s++|\s++(?!\d)))")  # captured: split keeps the breaks


@dataclass(frozen=True)
class Plan:
    """How to run one regex: the literal sets to test, and the window reach when bounded."""
    literals: tuple[tuple[str, ...], ...]  # each set sorted; a document needs one string of each
    anchors: tuple[tuple[str, ...], ...]   # the sets usable as anchors (no NUL), likely rarest first
    back: int | None                       # breaks to keep before an anchor (None: no windows)
    fwd: int | None                        # breaks to keep after an anchor
    cover: float = MAX_COVER               # use windows only below this share of the text


def plan_for(expanded: str) -> Plan | None:
    """The plan for a regex source, or None when it must always scan the whole text."""
    try:
        shape: Shape = analyse(expanded)
    except (Unsupported, RecursionError, regex.error):
        return None
    if shape.nullable or not shape.literals:
        return None
    literals = tuple(tuple(sorted(s)) for s in shape.literals)
    anchors = tuple(s for s in literals if not any("\x00" in x for x in s))
    # Likely rarest first: longer strings, then fewer of them.
    anchors = tuple(sorted(anchors, key=lambda s: (-min(len(x) for x in s), len(s))))
    r = shape.reach
    # The regex module skips to the digits a digit-led regex starts with by itself:
    # measured, windows cost such a regex more than they save.
    if r.forward is None or r.backward is None or not anchors or shape.digit_led:
        return Plan(literals, anchors, None, None)
    # A match starts at most ``main`` breaks before its anchor, and reads ``backward`` more
    # before its start and ``forward`` after it.
    return Plan(literals, anchors, r.main + r.backward + MARGIN, r.forward + MARGIN)


class TextIndex:
    """Per-text cache of literal look-ups and breaks, shared by all patterns."""
    __slots__ = ("text", "_has", "_count", "_breaks")

    def __init__(self, text: str):
        self.text = text
        self._has: dict[str, bool] = {}
        self._count: dict[str, int] = {}
        self._breaks: tuple[list[int], list[int]] | None = None

    def breaks(self) -> tuple[list[int], list[int]]:
        """Starts and ends of the text's breaks, in order."""
        if self._breaks is None:
            # text, break, text, break, ..., text: the running lengths are the offsets.
            at = list(accumulate(map(len, _BREAK.split(self.text, timeout=BREAKS_TIMEOUT))))
            self._breaks = (at[0:-1:2], at[1::2])
        return self._breaks

    def has(self, lit: str) -> bool:
        v = self._has.get(lit)
        if v is None:
            v = self._has[lit] = lit in self.text
        return v

    def count(self, lit: str) -> int:
        v = self._count.get(lit)
        if v is None:
            v = self._count[lit] = self.text.count(lit) if self.has(lit) else 0
        return v

    def positions(self, lit: str) -> list[int]:
        out = []
        find = self.text.find
        i = find(lit)
        while i >= 0:
            out.append(i)
            i = find(lit, i + 1)
        return out


def finditer(compiled: regex.Pattern, plan: Plan | None, index: TextIndex, timeout: float) -> list:
    """The matches of ``compiled`` over ``index.text``, as ``list(compiled.finditer(text))`` gives them."""
    text = index.text
    if not ENABLED or plan is None:
        return list(compiled.finditer(text, timeout=timeout))
    known, has = index._has, None
    for s in plan.literals:
        for x in s:
            has = known.get(x)
            if has is None:
                has = known[x] = x in text
            if has:
                break
        if not has:
            return []
    if plan.back is None:
        return list(compiled.finditer(text, timeout=timeout))
    # The rarest anchor set in this text.
    best, best_n = None, -1
    limit = plan.cover * len(text) / ((plan.back + plan.fwd + 2) * 6)  # a window spans a few tokens
    counts = index._count
    for s in plan.anchors:
        n = 0
        for x in s:
            c = counts.get(x)
            if c is None:
                c = counts[x] = text.count(x) if known.get(x, True) else 0
            n += c
            if n > limit:
                break
        if best is None or n < best_n:
            best, best_n = s, n
            if n == 0 or n * 4 <= limit:  # few enough: no need to look further
                break
    if best_n > limit:  # too many anchors: a full scan is cheaper
        return list(compiled.finditer(text, timeout=timeout))
    deadline = time.monotonic() + timeout
    spans = _windows(text, index, best, plan.back, plan.fwd)
    if sum(e - s for s, e in spans) > plan.cover * len(text):
        return list(compiled.finditer(text, timeout=_left(deadline)))
    pieces, starts = [], []  # starts: (offset in the joined text, offset in text)
    at = 0
    for s, e in spans:
        if pieces:
            pieces.append(SEP)
            at += len(SEP)
        starts.append((at, s))
        pieces.append(text[s:e])
        at += e - s
    joined = "".join(pieces)
    out = []
    k = 0
    for m in compiled.finditer(joined, timeout=_left(deadline)):
        js = m.start()
        while k + 1 < len(starts) and starts[k + 1][0] <= js:
            k += 1
        origin = starts[k][1] + js - starts[k][0]
        real = compiled.match(text, origin, timeout=_left(deadline))
        if real is None or real.end() - origin != m.end() - js:
            # Not the same match on the whole text: never expected; be exact anyway.
            return list(compiled.finditer(text, timeout=_left(deadline)))
        out.append(real)
    return out


def _left(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.001)


def _windows(text: str, index: TextIndex, anchors: tuple[str, ...], back: int, fwd: int) -> list[tuple[int, int]]:
    """Merged spans from ``back`` breaks before each anchor to ``fwd`` breaks after it.

    Only whole breaks count: a whitespace run an anchor starts or ends inside
    is not one of them, so a window never keeps less than it should.
    """
    occ: list[tuple[int, int]] = []
    for lit in anchors:
        if index.has(lit):
            n = len(lit)
            occ.extend((i, i + n) for i in index.positions(lit))
    occ.sort()
    starts, ends = index.breaks()
    nb, size = len(starts), len(text)
    spans: list[tuple[int, int]] = []
    cur_s = cur_e = -1
    for a, b in occ:
        j = bisect_left(starts, b) + fwd  # the first break not kept after the anchor
        e = starts[j] if j < nb else size
        if a <= cur_e + MERGE_GAP and cur_e >= 0:
            if e > cur_e:
                cur_e = e
            continue
        i = bisect_right(ends, a) - 1 - back  # the last break not kept before it
        s = ends[i] if i >= 0 else 0
        if cur_e >= 0:
            spans.append((cur_s, cur_e))
        cur_s, cur_e = s, e
    if cur_e >= 0:
        spans.append((cur_s, cur_e))
    return spans
