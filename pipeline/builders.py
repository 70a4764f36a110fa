"""Builders turn one regex match into candidates with normalised values.

A pattern record names its builder (``build: date``); the builder reads the
match's named groups, looks words up in the language lexicon and returns
candidates, or raises ``Rejected`` with the reason (an impossible date, a
reversed period). Group conventions shared by all builders:

* ``m``: when present, the mention's span (context outside it is only a
  condition, e.g. ``classe`` before a rank); otherwise the whole match.
* numbers are read in the language's convention (``numbers.parse_number``).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Any, Callable

import regex

from .candidates import Candidate, Rejected
from .numbers import NumberFormatError, as_number, parse_number
from .patterns import LanguageLexicon, PatternRecord
from .textview import TextView, fold


@dataclass(frozen=True, slots=True)
class BuildContext:
    view: TextView
    lex: LanguageLexicon
    record: PatternRecord

    def candidate(self, type_: str, start: int, end: int, fields: dict[str, Any], **extra: Any) -> Candidate:
        return Candidate(type_, start, end, fields, self.record.id, self.record.priority, extra=dict(extra))

    def number(self, m: regex.Match, group: str) -> float:
        s = m.group(group)
        if s is None:
            raise Rejected(f"group {group!r} is empty")
        word = self.lex.lookup("number_word", s)
        if word is not None:
            return float(word)
        try:
            return parse_number(s, self.lex.number_convention)
        except NumberFormatError as e:
            raise Rejected(str(e)) from e

    def scale(self, m: regex.Match, group: str = "scale") -> float:
        s = _group(m, group)
        if not s:
            return 1.0
        value = self.lex.lookup("scale", s)
        if value is None:
            value = self.lex.lookup("scale_abbrev", s)
        if value is None:
            raise Rejected(f"unknown scale word {s!r}")
        return float(value)


_DIGITS = regex.compile(r"\d+")
_SPACES = regex.compile(r"\s+")
_DASH = regex.compile(r"\s*-\s*")
_LIST_LEAD = regex.compile(r"(^|[\n;:]\s*|\n\s*)$")

Builder = Callable[[regex.Match, BuildContext], list[Candidate]]
BUILDERS: dict[str, Builder] = {}


def builder(name: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        BUILDERS[name] = fn
        return fn
    return register


_GROUP_NAMES: dict[regex.Pattern, frozenset[str]] = {}


def _group(m: regex.Match, name: str) -> str | None:
    """The group's text, or None when it did not take part or the regex has no such group."""
    names = _GROUP_NAMES.get(m.re)
    if names is None:
        names = _GROUP_NAMES[m.re] = frozenset(m.re.groupindex)
    return m.group(name) if name in names else None


def _span(m: regex.Match) -> tuple[int, int]:
    if _group(m, "m") is not None:
        return m.span("m")
    return m.span()


# --- dates and periods -------------------------------------------------------

def _month(ctx: BuildContext, s: str | None) -> int | None:
    if not s:
        return None
    s = s.strip()
    if s.isdigit():
        return int(s)
    v = ctx.lex.lookup("month", s)
    if v is None:
        v = ctx.lex.lookup("roman", s)
    if v is None:
        raise Rejected(f"unknown month {s!r}")
    return int(v)


def _year(s: str | None, pivot: int | None = None) -> int | None:
    if not s:
        return None
    y = int(s)
    if y < 100 and pivot is not None:
        y += (pivot // 100) * 100
    return y


def _day(s: str | None) -> int | None:
    if not s:
        return None
    digits = _DIGITS.match(s)
    return int(digits.group()) if digits else None


def edtf(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """EDTF truncated to what is known: ``2013``, ``2013-08``, ``XXXX-08-20``."""
    if month is not None and not 1 <= month <= 12:
        raise Rejected(f"month {month} does not exist")
    if day is not None:
        if month is None:
            raise Rejected("a day without a month")
        last = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= last:
            raise Rejected(f"day {day} does not exist in month {month}" + (f" of {year}" if year else ""))
    if year is not None and not 1000 <= year <= 2199:
        raise Rejected(f"year {year} out of range")
    y = f"{year:04d}" if year is not None else "XXXX"
    if month is None:
        if year is None:
            raise Rejected("a date needs a year or a month")
        return y
    if day is None:
        return f"{y}-{month:02d}"
    return f"{y}-{month:02d}-{day:02d}"


@builder("date")
def build_date(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    year = _year(_group(m, "year"))
    month = _month(ctx, _group(m, "month"))
    day = _day(_group(m, "day"))
    s, e = _span(m)
    return [ctx.candidate("date", s, e, {"value": edtf(year, month, day)})]


@builder("day_month")
def build_day_month(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """A bare d/m pair (Sáng 21/3 without its lead word, or (21/3)) is a date only
    when the day exceeds the month: otherwise it reads as a fraction."""
    day, month = _day(_group(m, "day")), _month(ctx, _group(m, "month"))
    if day is None or month is None or day <= month:
        raise Rejected("d/m with the day not above the month reads as a fraction")
    return build_date(m, ctx)


def _quarter_months(ctx: BuildContext, m: regex.Match) -> tuple[int, int] | None:
    """First and last month of a quarter (group ``quarter``) or a half-year (``half``)."""
    for group, length in (("quarter", 3), ("half", 6)):
        word = _group(m, group)
        if not word:
            continue
        n = int(word) if word.isdigit() else ctx.lex.lookup("ordinal_word", word, ctx.lex.lookup("roman", word))
        if n is None or not 1 <= int(n) <= 12 // length:
            raise Rejected(f"no {group} {word!r}")
        return length * (int(n) - 1) + 1, length * int(n)
    return None


@builder("period")
def build_period(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    s, e = _span(m)
    qm = _quarter_months(ctx, m)
    if qm is not None:
        year = _year(_group(m, "year"))
        value = f"{edtf(year, qm[0])}/{edtf(year, qm[1])}"
        return [ctx.candidate("period", s, e, {"value": value})]
    y1, y2 = _year(_group(m, "y1")), _year(_group(m, "y2"))
    if y2 is not None and y1 is not None and y2 < 100:
        y2 = _year(_group(m, "y2"), pivot=y1)
    mo1, mo2 = _month(ctx, _group(m, "mo1")), _month(ctx, _group(m, "mo2"))
    d1, d2 = _day(_group(m, "d1")), _day(_group(m, "d2"))
    # "1er au 15 août 2013": the start borrows what it leaves unsaid from the end.
    if y1 is None and y2 is not None and (mo1 is not None or mo2 is not None):
        y1 = y2
    if mo1 is None and d1 is not None:
        mo1 = mo2
    if mo2 is None and d2 is not None:  # "August 1-15, 2013"
        mo2 = mo1
    start = edtf(y1, mo1, d1)
    if _group(m, "open") is not None:
        return [ctx.candidate("period", s, e, {"value": f"{start}/.."})]
    end = edtf(y2, mo2, d2)
    if y1 is not None and y2 is not None and (y1, mo1 or 0, d1 or 0) >= (y2, mo2 or 0, d2 or 0):
        if not (y1 == y2 and (mo1, d1) != (mo2, d2) and (mo1 or 0, d1 or 0) < (mo2 or 13, d2 or 32)):
            raise Rejected(f"period ends before it starts: {start}/{end}")
    return [ctx.candidate("period", s, e, {"value": f"{start}/{end}"})]


# --- document identifiers ----------------------------------------------------

def _code(s: str) -> str:
    """ASCII, upper case, no spaces: ``QĐ-TTg`` -> ``QD-TTG``."""
    return _SPACES.sub("", fold(s)).upper()


def _doc_fields(number: int, kind: str | None, issuer: str | None, year: int | None,
                canonical: str | None) -> dict[str, Any]:
    return {"canonical": canonical, "number": number, "kind": kind, "issuer": issuer, "year": year}


def _glued_capital(m: regex.Match, group: str, ctx: BuildContext) -> int:
    """1 when the group's last capital starts a word glued after the code (26-NQ/TWFrançais):
    the group without it is a known issuer and the group with it is not."""
    end = m.end(group)
    norm = ctx.view.norm
    if end >= len(norm) or not norm[end].islower() or not norm[end - 1].isupper():
        return 0
    seg = regex.split(r"[-/\s]+", norm[m.start(group):end])[-1]
    if len(seg) > 1 and ctx.lex.lookup("issuer_label", seg[:-1]) and not ctx.lex.lookup("issuer_label", seg):
        return 1
    return 0


@builder("doc_code")
def build_doc_code(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """A full code: party ``25-NQ/TW`` (groups number, kind, issuer) or state
    ``70/2025/NĐ-CP`` (groups number, year?, code: kind and issuer joined by dashes)."""
    number = int(m.group("number"))
    year = _year(_group(m, "year"))
    code = _group(m, "code")
    cut = _glued_capital(m, "code" if code is not None else "issuer", ctx)
    s, e = _span(m)
    e -= cut
    if code is not None:
        code = code[:len(code) - cut]
        segments = [_code(x) for x in _DASH.split(code.strip()) if x.strip()]
        if ctx.lex.lookup("kind_code", segments[0]) is not None and len(segments) > 1:
            kind, issuer = segments[0], "-".join(segments[1:])
        else:
            kind, issuer = None, "-".join(segments)
        if kind is None and year is None and len(segments) < 2:
            raise Rejected(f"{m.group()!r}: no kind, year or issuer pair: not a code")
        canonical = f"{number}/" + (f"{year}/" if year else "") + (f"{kind}-" if kind else "") + issuer
    else:
        issuer_text = m.group("issuer")
        kind, issuer = _code(m.group("kind")), _code(issuer_text[:len(issuer_text) - cut])
        canonical = f"{number}-{kind}/{issuer}"
    return [ctx.candidate("doc_ref", s, e, _doc_fields(number, kind, issuer, year, canonical))]


@builder("doc_short")
def build_doc_short(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """A kind word and a number (``la résolution 25``); canonical is linked later."""
    start = m.start("kindword")
    norm = ctx.view.norm
    if start > 0 and norm[start - 1].isalpha() and not norm[start].isupper():
        raise Rejected("a kind word inside another word")
    number = int(m.group("number"))
    if _group(m, "marker") is None and 1900 <= number <= 2099:
        raise Rejected(f"{m.group()!r}: a year after a kind word, not a number")
    kind = ctx.lex.lookup("kind_word", m.group("kindword"))
    if kind is None:
        raise Rejected(f"unknown kind word {m.group('kindword')!r}")
    s, e = _span(m)
    return [ctx.candidate("doc_ref", s, e, _doc_fields(number, kind, None, None, None), short=True)]


# --- figures -----------------------------------------------------------------

def _currency(ctx: BuildContext, m: regex.Match) -> str | None:
    c = _group(m, "cur")
    if not c:
        return None
    code = ctx.lex.lookup("currency", c)
    if code is None:
        raise Rejected(f"unknown currency {c!r}")
    return code


@builder("money")
def build_money(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """An amount: groups num, scale?, cur? (no cur: currency from context, resolved later).
    With num1 and num2 (a range or achieved/target pair), two amounts: the first
    borrows the currency written after the second, and its scale unless it has its own
    (``30 triệu đến 40 triệu đồng``) or is written in full (``800 000 à 1 million de dôngs``:
    a first figure a thousand times the second needs no scale)."""
    cur = _currency(ctx, m)
    scale = ctx.scale(m)
    if _group(m, "num1") is not None:
        n1, n2 = ctx.number(m, "num1"), ctx.number(m, "num2")
        if _group(m, "scale1"):
            scale1 = ctx.scale(m, "scale1")
        else:
            scale1 = 1.0 if n2 and n1 / n2 >= 1000 else scale
        a1, a2 = n1 * scale1, n2 * scale
        s, e = _span(m)
        end1 = m.end("scale1") if _group(m, "scale1") else m.end("num1")
        return [
            ctx.candidate("money", m.start("num1"), end1, {"amount": as_number(round(a1, 6)), "currency": cur}),
            ctx.candidate("money", m.start("num2"), e, {"amount": as_number(a2), "currency": cur}),
        ]
    amount = ctx.number(m, "num") * scale
    s, e = _span(m)
    return [ctx.candidate("money", s, e, {"amount": as_number(round(amount, 6)), "currency": cur})]


@builder("percent")
def build_percent(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """``2,36 %``; with num1 and num2 a range or pair whose sign is written once
    or twice: two percents, the first the bare number."""
    s, e = _span(m)
    if _group(m, "num1") is not None:
        return [
            ctx.candidate("percent", m.start("num1"), m.end("num1") if _group(m, "sign1") is None else m.end("sign1"),
                          {"value": as_number(ctx.number(m, "num1"))}),
            ctx.candidate("percent", m.start("num2"), e, {"value": as_number(ctx.number(m, "num2"))}),
        ]
    sign = -1 if _group(m, "sign") else 1  # a minus glued to the figure: -1,2 %
    return [ctx.candidate("percent", s, e, {"value": as_number(sign * ctx.number(m, "num"))})]


def _unit(m: regex.Match, ctx: BuildContext, end: int, group: str = "unit") -> tuple[str, int]:
    """The counted word as written (read from the norm view: fold lost its accents), lower-cased,
    and the mention's end. A word the regex took that is a stop word spelled with its diacritics
    (Vietnamese ``thì`` "then", not ``thí`` of ``thí sinh``: both fold to ``thi``) is no unit: the
    mention ends before it, or, when the word is not its last, the match is rejected."""
    if _group(m, group) is None:
        return "", end
    word = ctx.view.norm[m.start(group):m.end(group)].lower()
    if not ctx.lex.is_stop(word):
        return word, end
    if m.end(group) != end:
        raise Rejected(f"{word!r} is a stop word, not what is counted")
    return "", m.start(group)


@builder("quantity")
def build_quantity(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """A count or measure: num (digits or a number word), scale?, unit?.
    With num1 and num2: two counts (a range ``6-12 science`` or an achieved/target
    pair ``8.793/6.500 đảng viên``), the first with unit "" unless it has its own."""
    if ctx.record.options.skip_list_numbers and _is_list_number(m, ctx):
        raise Rejected("a list number")
    s, e = _span(m)
    unit, e = _unit(m, ctx, e)
    if unit and ctx.lex.is_entry("label_unit", unit):
        raise Rejected(f"{unit!r} makes the number a label (a rating, a network), not a count")
    if _group(m, "num1") is not None:
        return [
            ctx.candidate("quantity", m.start("num1"), m.end("num1"),
                          {"value": as_number(ctx.number(m, "num1")), "unit": ""}),
            ctx.candidate("quantity", m.start("num2"), e,
                          {"value": as_number(ctx.number(m, "num2") * ctx.scale(m)), "unit": unit}),
        ]
    value = ctx.number(m, "num") * ctx.scale(m)
    return [ctx.candidate("quantity", s, e, {"value": as_number(round(value, 6)), "unit": unit})]


def _is_list_number(m: regex.Match, ctx: BuildContext) -> bool:
    """``1.`` or ``2)`` opening a line or a clause is a list label (fr-seed)."""
    text = ctx.view.norm
    end = m.end("num")
    if end < len(text) and text[end] in ".)" and (end + 1 == len(text) or text[end + 1].isspace()):
        before = text[max(0, m.start("num") - 3):m.start("num")]
        return m.start("num") == 0 or bool(_LIST_LEAD.search(before))
    return False


@builder("fraction")
def build_fraction(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """X/Y or X of Y: num1, num2, unit?. When X exceeds Y the text gives an
    achieved figure against a target, read as two quantities."""
    n1, n2 = ctx.number(m, "num1"), ctx.number(m, "num2")
    s, e = _span(m)
    unit, e = _unit(m, ctx, e)
    if n2 == 0:
        raise Rejected("denominator 0")
    if n1 > n2:
        if ctx.record.options.pair_when_greater:
            end1 = m.end("num1")
            return [
                ctx.candidate("quantity", m.start("num1"), end1, {"value": as_number(n1), "unit": ""}),
                ctx.candidate("quantity", m.start("num2"), e, {"value": as_number(n2), "unit": unit}),
            ]
        raise Rejected(f"numerator {n1} exceeds denominator {n2}")
    return [ctx.candidate("fraction", s, e,
                          {"numerator": as_number(n1), "denominator": as_number(n2), "unit": unit})]


@builder("rank")
def build_rank(m: regex.Match, ctx: BuildContext) -> list[Candidate]:
    """A position: rank, total? (``25e rang sur 63``, ``thứ 2/62``, ``15th``, ``second among 34``)."""
    word = ctx.lex.lookup("ordinal_word", m.group("rank"))  # first, second, nhất
    rank = int(word) if word is not None else int(ctx.number(m, "rank"))
    total = _group(m, "total")
    out_of = int(ctx.number(m, "total")) if total else None
    if out_of is not None and rank > out_of:
        raise Rejected(f"rank {rank} beyond {out_of}")
    if rank < 1:
        raise Rejected("rank 0")
    s, e = _span(m)
    return [ctx.candidate("rank", s, e, {"rank": rank, "out_of": out_of})]
