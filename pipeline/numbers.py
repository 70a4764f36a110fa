"""Read numbers written in a language's own convention.

French and Vietnamese group thousands with a space or a dot and mark
decimals with a comma (``2 046``, ``1.355``, ``2,36``); English groups with
a comma and marks decimals with a dot (``27,554``, ``1,301.5``). A dot
followed by other than exactly three digits is a decimal mark in every
language (``66.87`` in a Vietnamese PCI table, vi-001), and so is a lone
comma not followed by exactly three digits in English.
"""
from __future__ import annotations

import math

import regex

CONVENTIONS = ("space-dot", "comma")
MAX_VALUE = 1e18  # beyond any amount, count or score a report gives

_SPACES = regex.compile(r"[ \u00a0\u202f\u2009]")
_COMMA_GROUPS = regex.compile(r"\d{1,3}(?:,\d{3})+")
_DOT_GROUPS = regex.compile(r"\d{1,3}(?:\.\d{3})+")


class NumberFormatError(ValueError):
    """The string is not a number in the given convention."""


def parse_number(s: str, convention: str) -> float:
    """Return the value of ``s`` (digits with group and decimal marks) read in ``convention``.

    ``convention`` is ``"space-dot"`` (fr, vi) or ``"comma"`` (en), as a
    language's lexicon declares it.
    """
    raw = _SPACES.sub("", s.strip())
    if not raw or not raw[0].isdigit() or not raw[-1].isdigit():
        raise NumberFormatError(f"not a number: {s!r}")
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown number convention {convention!r}; choose one of {CONVENTIONS}")
    if convention == "comma":
        # 1,301.5 -> 1301.5; 15,058 -> 15058; 1,5 (rare, continental habit) -> 1.5
        if "," in raw and "." not in raw and not _COMMA_GROUPS.fullmatch(raw):
            raw = raw.replace(",", ".")
        else:
            raw = raw.replace(",", "")
    else:
        if "," in raw:
            int_part, _, dec = raw.rpartition(",")
            raw = int_part.replace(".", "") + "." + dec
        elif _DOT_GROUPS.fullmatch(raw):
            raw = raw.replace(".", "")
    try:
        value = float(raw)
    except ValueError as e:
        raise NumberFormatError(f"not a number ({convention}): {s!r}") from e
    if not math.isfinite(value) or value >= MAX_VALUE:
        raise NumberFormatError(f"too large to be a figure: {s[:20]!r}...")
    return value


def as_number(x: float) -> int | float:
    """An integral float as int (JSON ``88000000``, not ``88000000.0``)."""
    if x == int(x) and abs(x) < 2**63:
        return int(x)
    return x


def format_number(value: float, convention: str, decimals: int = 0, group: str = ".") -> str:
    """Write ``value`` in ``convention`` (``group`` is the space-dot grouping mark)."""
    text = f"{value:,.{decimals}f}"
    if convention == "comma":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", group)
