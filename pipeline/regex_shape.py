"""What a compiled pattern's regex can match, read from its source.

The extract stage uses this to run a pattern only where it can match
(``prefilter.py``) and keep the output identical to a plain ``finditer``
over the whole text. Two facts are derived from a regex, both
conservatively (when in doubt, the answer is "no constraint"):

* **Required literals**, as a conjunction of any-of sets: every match of the
  regex contains at least one string of each set (``trimestre`` or
  ``semestre``; ``%`` or ``pour cent``...). A text that contains none of
  one set's strings has no match.
* **Reach**, counted in *breaks*: a break is a maximal run of whitespace
  (``\\s``) that is not a run flanked by digits on both sides (``1 234`` is
  one number, not two tokens). ``forward`` bounds how many breaks any
  attempt at a position can touch reading on (lookaheads included),
  ``backward`` how many it can touch reading back (lookbehinds);
  ``None`` means unbounded (``[\\s(]*``, ``.*``).

The parser knows the subset of the ``regex`` module's syntax that pattern
files use: literals and escapes, ``\\d \\s \\w \\p{..}`` and their negations,
sets, groups (capturing, named, non-capturing, atomic), lookarounds,
backreferences by name or number, greedy, lazy and possessive quantifiers,
``^ $ \\b \\B \\A \\Z \\G``. Anything else raises ``Unsupported``, and the
pattern then simply runs over the whole text.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

import regex

MAX_EXACT = 64        # largest set of exact strings tracked for a node
MAX_UNROLL = 16       # a {m,n} bound above this is treated as unbounded
MAX_SET_CHARS = 24    # largest explicit character set turned into literals


class Unsupported(ValueError):
    """A construct this module does not model."""


# --- syntax tree ---------------------------------------------------------------

@dataclass(eq=False)
class Atom:
    """One character: a literal, an escape class, a set or ``.``."""
    src: str
    chars: frozenset[str] | None  # the exact characters it matches, when small and known


@dataclass(eq=False)
class Seq:
    items: list


@dataclass(eq=False)
class Alt:
    branches: list


@dataclass(eq=False)
class Repeat:
    item: object
    min: int
    max: int | None  # None: unbounded


@dataclass(eq=False)
class Group:
    item: object
    index: int | None = None
    name: str | None = None


@dataclass(eq=False)
class Look:
    item: object
    behind: bool
    negative: bool


@dataclass(eq=False)
class Assert:
    """Zero-width: ^ $ \\b \\B \\A \\Z \\G."""
    src: str


@dataclass(eq=False)
class BackRef:
    ref: str | int


_ESC_CLASS = set("dDsSwWhH")
_ESC_ASSERT = set("bBAZG")
_ESC_CHAR = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}
_META = set("\\^$.|?*+()[]{}")


class _Parser:
    def __init__(self, src: str):
        self.s = src
        self.i = 0
        self.groups = 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def parse(self):
        node = self.alt()
        if self.i != len(self.s):
            raise Unsupported(f"unbalanced ')' at {self.i}")
        return node

    def alt(self):
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return branches[0] if len(branches) == 1 else Alt(branches)

    def seq(self):
        items = []
        while self.i < len(self.s) and self.peek() not in "|)":
            atom = self.atom()
            if atom is None:
                continue
            items.append(self.quantified(atom))
        return Seq(items)

    def quantified(self, atom):
        while True:
            c = self.peek()
            if c == "*":
                lo, hi, self.i = 0, None, self.i + 1
            elif c == "+":
                lo, hi, self.i = 1, None, self.i + 1
            elif c == "?":
                lo, hi, self.i = 0, 1, self.i + 1
            elif c == "{":
                m = regex.match(r"\{(\d*)(?:(,)(\d*))?\}", self.s[self.i:])
                if not m or (m.group(1) == "" and not m.group(2)) or (m.group(1) == "" and m.group(3) == ""):
                    # A brace that is no quantifier: a fuzzy constraint ({e<=1}) or a literal;
                    # expanded patterns have neither, so do not guess.
                    raise Unsupported(f"'{{' at {self.i} is no quantifier")
                lo = int(m.group(1) or 0)
                hi = lo if not m.group(2) else (int(m.group(3)) if m.group(3) else None)
                self.i += m.end()
            else:
                return atom
            if self.peek() and self.peek() in "?+":  # lazy or possessive: same set of paths
                self.i += 1
            if isinstance(atom, (Look, Assert)):
                raise Unsupported("quantified assertion")
            atom = Repeat(atom, lo, hi)

    def atom(self):
        c = self.peek()
        if c == "(":
            return self.group()
        if c == "[":
            return self.charset()
        if c == "\\":
            return self.escape()
        if c in "^$":
            self.i += 1
            return Assert(c)
        if c == ".":
            self.i += 1
            return Atom(".", None)
        if c in "*+?{":
            raise Unsupported(f"nothing to repeat at {self.i}")
        self.i += 1
        return Atom(regex.escape(c), frozenset(c))

    def escape(self):
        self.i += 1
        c = self.peek()
        if not c:
            raise Unsupported("trailing backslash")
        self.i += 1
        if c in _ESC_CLASS:
            return Atom("\\" + c, None)
        if c in _ESC_ASSERT:
            return Assert("\\" + c)
        if c in "pP":
            m = regex.match(r"\{\^?[A-Za-z_][A-Za-z0-9_=&.\- ]*\}|[A-Za-z]", self.s[self.i:])
            if not m:
                raise Unsupported("bad \\p")
            self.i += m.end()
            return Atom("\\" + c + m.group(), None)
        ch = self._char_escape(c)
        if ch is None:
            if c.isdigit():  # backreference by number
                m = regex.match(r"\d+", self.s[self.i - 1:])
                self.i += m.end() - 1
                return BackRef(int(m.group()))
            raise Unsupported(f"escape \\{c}")
        return Atom(regex.escape(ch), frozenset(ch))

    def _char_escape(self, c: str) -> str | None:
        if c in _ESC_CHAR:
            return _ESC_CHAR[c]
        if c == "x":
            m = regex.match(r"[0-9A-Fa-f]{2}|\{[0-9A-Fa-f]+\}", self.s[self.i:])
            if not m:
                raise Unsupported("bad \\x")
            self.i += m.end()
            return chr(int(m.group().strip("{}"), 16))
        if c in "uU":
            n = 4 if c == "u" else 8
            h = self.s[self.i:self.i + n]
            if len(h) != n or not all(x in "0123456789abcdefABCDEF" for x in h):
                raise Unsupported("bad \\u")
            self.i += n
            return chr(int(h, 16))
        if c == "0":
            return "\x00"
        if c.isalnum():
            return None
        return c  # an escaped punctuation mark stands for itself

    def charset(self):
        start = self.i
        self.i += 1
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        chars: set[str] | None = set()
        first = True
        while True:
            c = self.peek()
            if not c:
                raise Unsupported("unterminated set")
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            if c == "[" and self.peek(1) in ":=.":
                raise Unsupported("POSIX class in a set")
            lo = self._set_char()
            if lo is None:
                chars = None
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                hi = self._set_char()
                if hi is None or ord(hi) < ord(lo):
                    raise Unsupported("bad range in a set")
                if chars is not None:
                    if ord(hi) - ord(lo) > MAX_SET_CHARS:
                        chars = None
                    else:
                        chars.update(chr(x) for x in range(ord(lo), ord(hi) + 1))
            elif chars is not None:
                chars.add(lo)
        src = self.s[start:self.i]
        if negated or chars is None or len(chars) > MAX_SET_CHARS:
            return Atom(src, None)
        return Atom(src, frozenset(chars))

    def _set_char(self) -> str | None:
        """One member of a set: a character, or None for a class (\\d, \\p{L}...)."""
        c = self.peek()
        self.i += 1
        if c != "\\":
            return c
        e = self.peek()
        self.i += 1
        if e in _ESC_CLASS:
            return None
        if e in "pP":
            m = regex.match(r"\{\^?[A-Za-z_][A-Za-z0-9_=&.\- ]*\}|[A-Za-z]", self.s[self.i:])
            if not m:
                raise Unsupported("bad \\p in a set")
            self.i += m.end()
            return None
        if e == "b":
            return "\b"
        ch = self._char_escape(e)
        if ch is None:
            raise Unsupported(f"escape \\{e} in a set")
        return ch

    def group(self):
        s = self.s
        self.i += 1
        if s.startswith("?:", self.i):
            self.i += 2
            return self._close(Group(self.alt()))
        if s.startswith("?>", self.i):
            self.i += 2
            return self._close(Group(self.alt()))
        if s.startswith("?#", self.i):
            end = s.find(")", self.i)
            if end < 0:
                raise Unsupported("unterminated comment")
            self.i = end + 1
            return None
        for prefix, behind, negative in (("?=", False, False), ("?!", False, True),
                                         ("?<=", True, False), ("?<!", True, True)):
            if s.startswith(prefix, self.i):
                self.i += len(prefix)
                return self._close(Look(self.alt(), behind, negative))
        m = regex.match(r"\?P?<([A-Za-z_]\w*)>", s[self.i:])
        if m:
            self.i += m.end()
            self.groups += 1
            index = self.groups
            return self._close(Group(self.alt(), index, m.group(1)))
        m = regex.match(r"\?P=([A-Za-z_]\w*)\)", s[self.i:])
        if m:
            self.i += m.end()
            return BackRef(m.group(1))
        if self.peek() == "?":
            raise Unsupported(f"group syntax (?{self.peek(1)} at {self.i}")
        self.groups += 1
        index = self.groups
        return self._close(Group(self.alt(), index))

    def _close(self, node):
        if self.peek() != ")":
            raise Unsupported(f"missing ')' at {self.i}")
        self.i += 1
        return node


def parse(src: str):
    return _Parser(src).parse()


# --- character classes ----------------------------------------------------------

@functools.cache
def _whitespace() -> str:
    """Every character ``\\s`` matches (White_Space: none above U+3000)."""
    return "".join(regex.findall(r"\s", "".join(chr(c) for c in range(0x3001))))


_DIGIT = regex.compile(r"\d")


def _is_digit(c: str) -> bool:
    return _DIGIT.fullmatch(c) is not None


@dataclass(frozen=True)
class CharKind:
    ws: bool          # can match a whitespace character
    ws_only: bool     # matches whitespace characters only
    digit_only: bool  # matches \d characters only


@functools.cache
def char_kind(src: str, chars: frozenset[str] | None) -> CharKind:
    ws_chars = _whitespace()
    if chars is not None:
        return CharKind(any(c in ws_chars for c in chars), all(c in ws_chars for c in chars),
                        all(_is_digit(c) for c in chars))
    if src == r"\s":
        return CharKind(True, True, False)
    if src == r"\d":
        return CharKind(False, False, True)
    compiled = regex.compile(src)
    ws = any(compiled.fullmatch(c) for c in ws_chars)
    return CharKind(ws, False, False)


# --- required literals ------------------------------------------------------------

@dataclass
class _Lit:
    exact: frozenset[str] | None          # every string the node can match, when few and known
    cnf: list[frozenset[str]] = field(default_factory=list)  # each match contains a string of each set
    prefix: frozenset[str] | None = None  # (when not exact) each match starts with one of these
    suffix: frozenset[str] | None = None  # (when not exact) each match ends with one of these


def _cross(a: frozenset[str], b: frozenset[str]) -> frozenset[str] | None:
    if len(a) * len(b) > MAX_EXACT:
        return None
    return frozenset(x + y for x, y in itertools.product(a, b))


def _as_cnf(exact: frozenset[str] | None) -> list[frozenset[str]]:
    if exact is None or "" in exact or not exact:
        return []
    return [exact]


def _lit(node, groups: dict) -> _Lit:
    if isinstance(node, Atom):
        return _Lit(node.chars if node.chars is not None else None)
    if isinstance(node, (Assert, Look)):
        return _Lit(frozenset([""]))
    if isinstance(node, BackRef):
        return _Lit(None)
    if isinstance(node, Group):
        return _lit(node.item, groups)
    if isinstance(node, Repeat):
        inner = _lit(node.item, groups)
        if node.max is not None and node.max == node.min and node.min <= 4 and inner.exact is not None:
            exact: frozenset[str] | None = frozenset([""])
            for _ in range(node.min):
                exact = _cross(exact, inner.exact) if exact is not None else None
            if exact is not None:
                return _Lit(exact)
        if node.min >= 1:
            # Every match starts and ends with one of the child's strings.
            ends = inner.exact if inner.exact is not None and "" not in inner.exact else None
            return _Lit(None, inner.cnf + _as_cnf(inner.exact), ends, ends)
        return _Lit(None)
    if isinstance(node, Alt):
        parts = [_lit(b, groups) for b in node.branches]
        if all(p.exact is not None for p in parts):
            union = frozenset().union(*(p.exact for p in parts))
            if len(union) <= MAX_EXACT:
                return _Lit(union)
        # Each branch must name a set; the alternation needs one of their strings.
        chosen = []
        for p in parts:
            options = p.cnf + _as_cnf(p.exact)
            if not options:
                return _Lit(None)
            chosen.append(_best(options))
        return _Lit(None, [frozenset().union(*chosen)])
    if isinstance(node, Seq):
        cnf: list[frozenset[str]] = []
        run: frozenset[str] = frozenset([""])  # exact strings of the current run of exact items
        whole = True  # every item exact so far, and their product small
        for item in node.items:
            p = _lit(item, groups)
            cnf.extend(p.cnf)
            if p.exact is not None:
                joined = _cross(run, p.exact)
                if joined is not None:
                    run = joined
                    continue
                cnf.extend(_as_cnf(run))
                run, whole = p.exact, False
            else:
                # "un" + [ \t]+ + "an": the run goes on into what the item surely starts with,
                # and a new run starts with what it surely ends with.
                joined = _cross(run, p.prefix) if p.prefix is not None else None
                cnf.extend(_as_cnf(joined if joined is not None else run))
                run, whole = (p.suffix if p.suffix is not None else frozenset([""])), False
        if whole:
            return _Lit(run, cnf)
        cnf.extend(_as_cnf(run))
        return _Lit(None, cnf)
    raise Unsupported(type(node).__name__)


def _best(options: list[frozenset[str]]) -> frozenset[str]:
    """The set most likely to be rare: longest shortest string, then fewest strings."""
    return max(options, key=lambda s: (min(len(x) for x in s), -len(s)))


def required_literals(node) -> list[frozenset[str]]:
    """Any-of sets of strings, every match containing a string of each set."""
    lit = _lit(node, {})
    cnf = lit.cnf + _as_cnf(lit.exact)
    out: list[frozenset[str]] = []
    for s in cnf:
        s = _minimal(s)
        if s and s not in out:
            out.append(s)
    return out


def _minimal(s: frozenset[str]) -> frozenset[str]:
    """Drop strings that contain another string of the set: the shorter one occurs wherever they do."""
    keep = sorted(s, key=len)
    out: list[str] = []
    for x in keep:
        if not any(y in x for y in out):
            out.append(x)
    return frozenset(out)


# --- reach in breaks ------------------------------------------------------------------

class _Pos:
    """An occurrence of an atom in the regex (a Glushkov position)."""
    __slots__ = ("kind", "follow")

    def __init__(self, kind: CharKind):
        self.kind = kind
        self.follow: set[_Pos] = set()


@dataclass
class _Frag:
    nullable: bool
    first: set
    last: set
    looks: list  # reach of the lookarounds inside: (behind, reach)


def _frag(node, groups: dict) -> _Frag:
    if isinstance(node, Atom):
        p = _Pos(char_kind(node.src, node.chars))
        return _Frag(False, {p}, {p}, [])
    if isinstance(node, Assert):
        return _Frag(True, set(), set(), [])
    if isinstance(node, Look):
        reach = groups.get(("reach", id(node)))
        if reach is None:
            reach = groups[("reach", id(node))] = _reach_of(node.item, groups)
        return _Frag(True, set(), set(), [(node.behind, reach)])
    if isinstance(node, BackRef):
        target = groups.get(node.ref)
        if target is None:
            raise Unsupported(f"backreference to unknown group {node.ref}")
        return _frag(target, groups)  # matches what its group matched: the same kinds of characters
    if isinstance(node, Group):
        return _frag(node.item, groups)
    if isinstance(node, Alt):
        parts = [_frag(b, groups) for b in node.branches]
        return _Frag(any(p.nullable for p in parts), set().union(*(p.first for p in parts)),
                     set().union(*(p.last for p in parts)), [x for p in parts for x in p.looks])
    if isinstance(node, Seq):
        out = _Frag(True, set(), set(), [])
        for item in node.items:
            f = _frag(item, groups)
            for p in out.last:
                p.follow |= f.first
            first = out.first | f.first if out.nullable else out.first
            last = f.last | out.last if f.nullable else f.last
            out = _Frag(out.nullable and f.nullable, first, last, out.looks + f.looks)
        return out
    if isinstance(node, Repeat):
        lo, hi = node.min, node.max
        if hi is not None and hi > MAX_UNROLL:
            hi = None
        if lo > MAX_UNROLL:
            lo = MAX_UNROLL
        copies = [_frag(node.item, groups) for _ in range(max(lo, 1) if hi is None else max(hi, 1))]
        if hi is None:
            # lo mandatory copies (at least one), the last of which loops on itself
            out = _Frag(True, set(), set(), [])
            for f in copies:
                for p in out.last:
                    p.follow |= f.first
                first = out.first | f.first if out.nullable else out.first
                last = f.last | out.last if f.nullable else f.last
                out = _Frag(out.nullable and f.nullable, first, last, out.looks + f.looks)
            loop = copies[-1]
            for p in loop.last:
                p.follow |= loop.first
            if lo == 0:
                out.nullable = True
            return out
        out = _Frag(True, set(), set(), [])
        for k, f in enumerate(copies):
            optional = k >= lo
            for p in out.last:
                p.follow |= f.first
            first = out.first | f.first if out.nullable else out.first
            last = (f.last | out.last) if (f.nullable or optional) else f.last
            out = _Frag(out.nullable and (f.nullable or optional), first, last, out.looks + f.looks)
        if hi == 0:
            return _Frag(True, set(), set(), out.looks)
        return out
    raise Unsupported(type(node).__name__)


def _collect_groups(node, groups: dict) -> None:
    if isinstance(node, Group):
        if node.index is not None:
            groups[node.index] = node.item
        if node.name is not None:
            groups[node.name] = node.item
        _collect_groups(node.item, groups)
    elif isinstance(node, (Seq,)):
        for i in node.items:
            _collect_groups(i, groups)
    elif isinstance(node, Alt):
        for b in node.branches:
            _collect_groups(b, groups)
    elif isinstance(node, (Repeat, Look)):
        _collect_groups(node.item, groups)


def _breaks(frag: _Frag) -> int | None:
    """Most breaks one path through ``frag`` can touch (None: unbounded)."""
    positions: list[_Pos] = []
    seen: set[_Pos] = set()
    stack = list(frag.first)
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        positions.append(p)
        stack.extend(p.follow)
    preds: dict[_Pos, list[_Pos]] = {p: [] for p in positions}
    for p in positions:
        for q in p.follow:
            preds[q].append(p)

    def touches(p: _Pos) -> int:
        if not p.kind.ws:
            return 0
        # A whitespace character read between two digits of the same path is no break
        # (1 234): its neighbours are the digits the path read before and after it.
        glued = (p not in frag.first and p not in frag.last and preds[p]
                 and all(q.kind.digit_only for q in preds[p])
                 and p.follow and all(q.kind.digit_only for q in p.follow))
        return 0 if glued else 1

    base = {p: touches(p) for p in positions}

    def step(q: _Pos, p: _Pos) -> int:
        # Whitespace read right after whitespace is the same run: no new break.
        return 0 if (q.kind.ws_only and p.kind.ws_only) else base[p]

    best = {p: (base[p] if p in frag.first else -1) for p in positions}
    for _ in range(len(positions) + 1):
        changed = False
        for p in positions:
            if best[p] < 0:
                continue
            for q in p.follow:
                v = best[p] + step(p, q)
                if v > best[q]:
                    best[q] = v
                    changed = True
        if not changed:
            break
    else:
        return None  # a cycle that touches breaks
    return max(best.values(), default=0)


@dataclass(frozen=True)
class Reach:
    forward: int | None   # breaks touched reading on from the start, lookaheads included
    backward: int | None  # breaks touched reading back before the start (lookbehinds)
    main: int | None = None  # breaks touched by the consuming part alone (start to end of a match)


def _reach_of(node, groups: dict) -> Reach:
    """Breaks touched reading on (forward) and reading back before the start (backward)."""
    frag = _frag(node, groups)
    main = _breaks(frag)
    if main is None:
        return Reach(None, None, None)
    fwd, back = main, 0
    for _behind, r in frag.looks:
        if r.forward is None or r.backward is None:
            return Reach(None, None, None)
        # A lookaround sits within ``main`` breaks of the start and reads up to
        # ``r.forward + r.backward`` breaks either way from there (its own
        # lookarounds included): count it both ways.
        extent = r.forward + r.backward
        fwd = max(fwd, main + extent)
        back = max(back, extent)
    return Reach(fwd, back, main)


@dataclass(frozen=True)
class Shape:
    """What ``analyse`` found out about a regex."""
    nullable: bool
    literals: tuple[frozenset[str], ...]  # every match contains a string of each set
    reach: Reach
    digit_led: bool  # every match starts with a \d character


def analyse(src: str) -> Shape:
    node = parse(src)
    groups: dict = {}
    _collect_groups(node, groups)
    frag = _frag(node, groups)
    digit_led = not frag.nullable and all(p.kind.digit_only for p in frag.first)
    return Shape(frag.nullable, tuple(required_literals(node)), _reach_of(node, groups), digit_led)
