"""Tables written as ``a | b | c`` lines: a cell takes its meaning from its
column heading. A bare integer under a rank heading (``Thứ hạng``, ``Rank``,
``Classement``; the PCI tables of vi-001) is a rank; the other cells are
left to the ordinary patterns.
"""
from __future__ import annotations

import regex

from .candidates import Candidate
from .patterns import LanguageLexicon
from .textview import TextView

_CELL_INT = regex.compile(r"\s*(\d{1,4})\s*")
TABLE_RANK_PATTERN = "rank.table-column"
TABLE_RANK_PRIORITY = 80


def _cells(line: str, offset: int) -> list[tuple[str, int]]:
    """The cells of a table line with the offset of each."""
    out = []
    pos = 0
    for part in line.split("|"):
        out.append((part, offset + pos))
        pos += len(part) + 1
    return out


def table_candidates(view: TextView, lex: LanguageLexicon) -> list[Candidate]:
    out: list[Candidate] = []
    rank_col: int | None = None
    offset = 0
    for line in view.fold.splitlines(keepends=True):
        stripped = line.strip()
        if "|" not in stripped:
            rank_col = None
        else:
            cells = _cells(line.rstrip("\r\n"), offset)
            heads = [lex.in_list("rank_heading", c.strip()) for c, _ in cells]
            if any(heads) and not any(ch.isdigit() for ch in stripped):
                rank_col = heads.index(True)
            elif rank_col is not None and rank_col < len(cells):
                cell, at = cells[rank_col]
                m = _CELL_INT.fullmatch(cell)
                if m and int(m.group(1)) >= 1:
                    s, e = at + m.start(1), at + m.end(1)
                    out.append(Candidate("rank", s, e, {"rank": int(m.group(1)), "out_of": None},
                                         TABLE_RANK_PATTERN, TABLE_RANK_PRIORITY))
        offset += len(line)
    return out
