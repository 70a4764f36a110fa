"""Normalised views of a document with a map back to the original offsets.

Extractors never see the raw text. They run on two views that share one
index space:

* ``norm``: NFC, every dash as ``-``, no-break and thin spaces as a space,
  Eth ``Ð`` (U+00D0, a common OCR confusion) as ``Đ``, CRLF kept as two
  characters so that line counts stay honest.
* ``fold``: ``norm`` lower-cased and stripped of diacritics, one character
  for one character (``Nghị quyết`` -> ``nghi quyet``, ``ngàỷ`` -> ``ngay``,
  ``août`` -> ``aout``). Vietnamese reports often carry scrambled or lost
  diacritics (vi-015), so keyword patterns match on this view.

``to_original(i)`` maps an index of either view back into the original
text, so every reported offset satisfies ``original[start:end] == text``.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

# One character in, one character out: offsets of norm are those of the NFC text.
_NORM_TABLE = {
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"},
    **{ord(c): " " for c in "\u00a0\u2007\u2009\u202f\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u3000"},
    0x00D0: "\u0110",  # Ð (Eth) -> Đ
    0x00F0: "\u0111",  # ð -> đ
    0x2019: "'",
    0x2018: "'",
    0x02BC: "'",
    0x00AD: " ",  # soft hyphen
}


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    if c == "œ":
        return "o"  # keeps one char per char: "œuvre" folds to "ouvre"
    low = c.lower()
    if len(low) != 1:
        low = c
    if ord(low) < 128:
        return low
    base = unicodedata.normalize("NFD", low)[0]
    return base if len(base) == 1 else low


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        f = self[code] = _fold_char(chr(code))
        return f


_FOLD_TABLE = _FoldTable()


_FOLD_BMP: str | None = None


def _fold_bmp() -> str:
    """The fold of every character of the Basic Multilingual Plane, as one string to index."""
    global _FOLD_BMP
    if _FOLD_BMP is None:
        _FOLD_BMP = "".join(_fold_char(chr(c)) for c in range(0x10000))
    return _FOLD_BMP


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping the length (one char per char)."""
    if text.isascii():
        return text.lower()  # what _fold_char does to ASCII
    if max(text) > "\uffff":
        return text.translate(_FOLD_TABLE)
    # A string as the table: indexing it is faster than a dict look-up per character.
    return text.translate(_fold_bmp())


@dataclass(frozen=True)
class TextView:
    original: str
    norm: str
    fold: str
    # offsets[i] is the original index of norm[i]; offsets[len(norm)] == len(original).
    # Empty when norm and original share offsets (the common, already-NFC case).
    offsets: tuple[int, ...] = field(default=(), repr=False)

    def to_original(self, i: int) -> int:
        return self.offsets[i] if self.offsets else i

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end)


def _nfc_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """NFC-normalise ``text`` cluster by cluster, recording where each output char came from."""
    out: list[str] = []
    offsets: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        # A cluster is a starter followed by its combining marks.
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        offsets.extend([i] * len(piece))
        i = j
    offsets.append(n)
    return "".join(out), tuple(offsets)


# _NORM_TABLE as a string indexed by code point (no key of it lies above U+FFFF;
# a character above is left as it is, as with the dict).
_NORM_BMP = "".join(_NORM_TABLE.get(c, chr(c)) for c in range(0x10000))


def make_view(text: str) -> TextView:
    """Build the norm and fold views of ``text`` (the document as decoded)."""
    if unicodedata.is_normalized("NFC", text):
        nfc, offsets = text, ()
    else:
        nfc, offsets = _nfc_with_map(text)
    norm = nfc if nfc.isascii() else nfc.translate(_NORM_BMP)  # every key of the table is non-ASCII
    return TextView(original=text, norm=norm, fold=fold(norm), offsets=offsets)
