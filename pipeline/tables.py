"""Tables written as ``a | b | c`` lines: a cell takes its meaning from its
column heading. A bare integer under a rank heading (``rank_heading`` in the
lexicon: ``Thứ hạng``, ``Rank``, ``Classement``; the PCI tables of vi-001)
is a rank; a bare number under a heading that names a percentage (``%``, or
``percent_heading``: ``Score (%)``, ``Tỷ lệ``) is a percent; under a heading
that names a currency, and maybe a scale (``Thu NSNN (tỷ đồng)``, ``Price (VND
million/m2)``: words of the ``currency`` and ``scale`` tables), it is an
amount of money; under a note naming a unit (``Lúa (nghìn tấn)``, ``(million
people)``), a quantity with that scale and unit; a row number under an index
heading (``index_heading``: ``STT``, ``No.``) is no mention at all. A cell
without a column role takes that of its row's label, else that of the note
ending the line above the table. Other cells are left to the ordinary
patterns.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .candidates import Candidate
from .numbers import NumberFormatError, as_number, parse_number
from .patterns import LanguageLexicon
from .textview import TextView

# A number alone in its cell (thousands grouped by spaces allowed: 2 380), or X/Y (a rank of 63).
_CELL_NUMBER = regex.compile(r"\s*(-?(?:\d{1,3}(?:[ ]\d{3})+(?:,\d+)?|\d[\d.,]*))\s*")  # -1.4: a fall
_CELL_RANK = regex.compile(r"\s*(\d{1,3})\s*/\s*(\d{1,3})\s*")
_CELL_RANGE = regex.compile(r"\s*(\d[\d.,]*)\s*-\s*(\d[\d.,]*)\s*")
_CELL_ORDINAL = regex.compile(r"\s*(\d{1,3})\s?(?:e|er|re|eme|ere|st|nd|rd|th)\s*")  # 7e, 3rd (fold view)


def _is_data(cell: str) -> bool:
    return bool(_CELL_NUMBER.fullmatch(cell) or _CELL_RANK.fullmatch(cell) or _CELL_ORDINAL.fullmatch(cell)
                or _CELL_RANGE.fullmatch(cell))


TABLE_PRIORITY = {"rank": 80, "percent": 86, "money": 90, "quantity": 60}


def _cells(line: str, offset: int) -> list[tuple[str, int]]:
    """The cells of a table line with the offset of each."""
    out = []
    pos = 0
    for part in line.split("|"):
        out.append((part, offset + pos))
        pos += len(part) + 1
    return out


@dataclass(frozen=True)
class Role:
    """What the cells of a column hold; ``scale`` and ``currency`` for money, ``scale`` and
    ``unit`` for a quantity."""
    kind: str  # rank / index / percent / money / quantity
    scale: float = 1.0
    currency: str = ""
    unit: str = ""


def _role(heading: str, lex: LanguageLexicon) -> Role | None:
    h = heading.strip()
    if not h:
        return None
    if lex.in_list("index_heading", h):
        return Role("index")
    if "rank_heading" in lex.lists and lex.words("rank_heading").search(h):  # Rang national, 2024 rank
        return Role("rank")
    if "%" in h or lex.in_list("percent_heading", h):
        return Role("percent")
    if "currency" in lex.tables:
        cur = lex.words("currency").search(h)
        if cur is not None:
            scale = lex.words("scale").search(h) if "scale" in lex.tables else None
            return Role("money", float(lex.lookup("scale", scale.group())) if scale else 1.0,
                        lex.lookup("currency", cur.group()))
    return None


def _cell_candidate(role: Role, cell: str, at: int, lex: LanguageLexicon) -> list[Candidate]:
    if role.kind == "rank" and (r := _CELL_RANK.fullmatch(cell)) and 1 <= int(r.group(1)) <= int(r.group(2)):
        return [Candidate("rank", at + r.start(1), at + r.end(2),
                          {"rank": int(r.group(1)), "out_of": int(r.group(2))}, "rank.table-column", TABLE_PRIORITY["rank"])]
    if role.kind == "rank" and (o := _CELL_ORDINAL.fullmatch(cell)) and int(o.group(1)) >= 1:
        return [Candidate("rank", at + o.start(1), at + len(cell.rstrip()), {"rank": int(o.group(1)), "out_of": None},
                          "rank.table-column", TABLE_PRIORITY["rank"])]
    if role.kind in ("money", "percent") and (r := _CELL_RANGE.fullmatch(cell)):
        # A range in one cell (1 - 2 under "Fine (VND million)"): two figures of the column's role.
        first = _cell_candidate(role, r.group(1), at + r.start(1), lex)
        second = _cell_candidate(role, r.group(2), at + r.start(2), lex)
        return first + second if first and second else []
    m = _CELL_NUMBER.fullmatch(cell)
    if not m:
        return []
    s, e = at + m.start(1), at + m.end(1)
    if role.kind == "rank":
        if not m.group(1).isdigit() or int(m.group(1)) < 1:
            return []
        fields = {"rank": int(m.group(1)), "out_of": None}
    else:
        try:
            value = parse_number(m.group(1).lstrip("-"), lex.number_convention)
        except NumberFormatError:
            return []
        if m.group(1).startswith("-"):
            value = -value
        if role.kind == "money":
            fields = {"amount": as_number(round(value * role.scale, 6)), "currency": role.currency}
        elif role.kind == "quantity":
            fields = {"value": as_number(round(value * role.scale, 6)), "unit": role.unit}
        else:
            fields = {"value": as_number(value)}
    return [Candidate(role.kind, s, e, fields, f"{role.kind}.table-column", TABLE_PRIORITY[role.kind])]


_SEPARATOR = regex.compile(r"\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?")
_UNIT_NOTE = regex.compile(r"\(([^()]*)\)\s*:?\s*$|(?:don\s+vi|dvt|unit|unite)\s*:\s*(.+)$")


def _note_role(text: str, norm: str, lex: LanguageLexicon) -> Role | None:
    """The role a heading, label or caption declares in a note at its end: ``(%)`` a percent,
    ``(triệu đồng/người)`` or ``Đơn vị: tỷ đồng`` money, ``(nghìn tấn)`` or ``(million people)``
    a quantity with that scale and the first word after it as unit; None when it declares
    none. ``text`` is the fold view of the cell, ``norm`` the same span of the norm view
    (whose words keep their diacritics for the unit)."""
    m = _UNIT_NOTE.search(text.rstrip())
    if m is None:
        return None
    group = 1 if m.group(1) is not None else 2
    role = _role(m.group(group), lex)
    if role is not None:
        return role if role.kind in ("percent", "money") else None
    note, words = m.group(group).strip(), norm[m.start(group):m.end(group)].split()
    if not words or not regex.match(r"\p{L}", note) or lex.is_entry("table_note_not_unit", note):
        return None
    scale = lex.words("scale").match(note) if "scale" in lex.tables else None
    if scale is not None:
        words = norm[m.start(group) + scale.end():m.end(group)].split()
        if not words:
            return None
    return Role("quantity", float(lex.lookup("scale", scale.group())) if scale else 1.0, unit=words[0].lower())


def _count_role(text: str, norm: str, lex: LanguageLexicon) -> Role | None:
    """A heading that counts something (``count_heading``: ``Số người``, ``Number of firms``)
    makes its cells quantities of the first word it counts; None otherwise."""
    count = lex.compiled_variable("count_heading")
    lead = len(text) - len(text.lstrip())
    m = count.match(text, lead) if count is not None else None
    if m is None:
        return None
    words = norm[m.end():].split()
    return Role("quantity", unit=words[0].lower()) if words and regex.match(r"\p{L}", words[0]) else None


def _row_role(cells: list[tuple[str, int]], norm: str, lex: LanguageLexicon) -> Role | None:
    """The role a row's label (its first cell with letters) gives to its numbers:
    ``Tỷ lệ hộ nghèo (%)``, ``Thu nhập (triệu đồng/người)``, ``Lúa (nghìn tấn)``, ``Classement PCI``."""
    for cell, at in cells:
        if regex.search(r"\p{L}", cell):
            if "rank_heading" in lex.lists and lex.words("rank_heading").search(cell):
                return Role("rank")
            return _note_role(cell, norm[at:at + len(cell)], lex)
    return None


def table_candidates(view: TextView, lex: LanguageLexicon) -> tuple[list[Candidate], list[tuple[int, int]]]:
    """Candidates read from table cells, and the spans of row-number cells (no mentions).

    A cell's number takes the role of its column's heading; failing that, of its row's
    label; failing that, of the note that ends the line above the table (its caption:
    ``Key indicators (%)``, ``Đơn vị: tỷ đồng``)."""
    out: list[Candidate] = []
    index_cells: list[tuple[int, int]] = []
    roles: dict[int, Role] = {}
    table_role: Role | None = None
    in_table = False
    caption = caption_norm = ""
    offset = 0
    lines = view.fold.splitlines(keepends=True)
    for n, line in enumerate(lines):
        stripped = line.strip()
        if "|" not in stripped:
            roles, in_table = {}, False
            if stripped:
                caption = stripped
                caption_norm = view.norm[offset:offset + len(line)].strip()
        else:
            if not in_table:
                in_table, table_role = True, _note_role(caption, caption_norm, lex)
            cells = _cells(line.rstrip("\r\n"), offset)
            # A heading row: no number in it, or the row above a |---| line (| Indicator | 2024 | 2025 |).
            if not any(_is_data(c) for c, _ in cells) or (n + 1 < len(lines) and _SEPARATOR.fullmatch(lines[n + 1].strip())):
                found = {i: r for i, (c, at) in enumerate(cells)
                         if (r := _role(c, lex) or _note_role(c, view.norm[at:at + len(c)], lex)
                             or _count_role(c, view.norm[at:at + len(c)], lex))}
                if found:
                    roles = found
            else:
                row_role = _row_role(cells, view.norm, lex) or table_role
                for i, (cell, at) in enumerate(cells):
                    role = roles.get(i, row_role)
                    if role is None:
                        continue
                    if role.kind == "index":
                        index_cells.append((at, at + len(cell)))
                    else:
                        out.extend(_cell_candidate(role, cell, at, lex))
        offset += len(line)
    return out, index_cells
