"""Load, validate and compile the pattern data in ``patterns/``.

Layout (see the README, "Adding a pattern / a language"):

* ``patterns/languages.yaml``: the registry of languages.
* ``patterns/common/lexicon.yaml`` and ``patterns/<lang>/lexicon.yaml``:
  ``tables`` (word -> value: month names, scale words, currencies, kind
  words, code labels) and ``variables`` (named sub-patterns).
* every other ``*.yaml`` under ``patterns/``: a pattern file, ``lang``
  (a language or ``all``), ``view`` (``norm`` or ``fold``) and ``patterns``.

A pattern's ``regex`` names variables as ``{name}``; a variable is looked up
in the language lexicon, then the common one, and a table name stands for
the alternation of its keys (longest first). Files are validated strictly:
an unknown key, an unknown variable or builder, or a regex that does not
compile fails with the file and the record named.
"""
from __future__ import annotations

import functools
import os
import unicodedata
from pathlib import Path
from typing import Any, Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .textview import fold

# The checkout's patterns/ folder, or another one named by VNEXTRACT_PATTERNS.
PATTERNS_DIR = Path(os.environ.get("VNEXTRACT_PATTERNS") or Path(__file__).resolve().parent.parent / "patterns")
REGEX_TIMEOUT = 1.0  # seconds, per pattern and document
_VAR = regex.compile(r"\{([a-z][a-z0-9_]*)\}")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: same data, faster


class PatternFileError(ValueError):
    """A pattern or lexicon file is malformed; the message names the file and record."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedMention(_Strict):
    text: str
    type: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict)


class Example(_Strict):
    text: str
    lang: str | None = None  # defaults to the file's language ("fr" for files of all languages)
    expect: list[ExpectedMention] = Field(min_length=1)


class CounterExample(_Strict):
    text: str
    lang: str | None = None


class PatternOptions(_Strict):
    """Conditions a match must meet beyond its regex."""
    skip_list_numbers: bool = Field(False, description="Reject a number that labels a list item (1. / 2) at a line start).")
    pair_when_greater: bool = Field(True, description="Fraction X/Y with X > Y: two counts (achieved/target) instead of a rejection.")
    not_after: str | None = Field(None, description="Regex (norm view, case-sensitive) that must not end right before the match.")
    not_before: str | None = Field(None, description="Regex (norm view, case-sensitive) that must not start right after the match.")
    not_after_bare: str | None = Field(None, description=(
        "Regex (norm view, case-sensitive) that must not end right before a match whose group "
        "'unit' is empty: an acronym before a bare number makes a label (MTQG 1719), not before "
        "a counted noun (NSNN 6 tháng)."))
    exact: dict[str, str] = Field(default_factory=dict,
                                  description="group -> lexicon table or list whose entry the group must spell exactly, diacritics included (a word written without any diacritics may match folded).")


class PatternRecord(_Strict):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_.-]+$")
    type: Literal["doc_ref", "date", "period", "money", "percent", "quantity", "fraction", "rank"]
    build: str
    regex: str
    priority: int = Field(ge=0, le=1000)
    description: str = ""
    options: PatternOptions = Field(default_factory=PatternOptions)
    requires: list[str] = Field(default_factory=list, description=(
        "Literals, or {table} / {list} names standing for their entries, of which a text must "
        "contain at least one (compared on the fold view) for the pattern to run on it: a "
        "text without any is skipped without scanning. Every match must contain one."))
    examples: list[Example] = Field(min_length=1)
    counter_examples: list[str | CounterExample] = Field(default_factory=list)


class PatternFile(_Strict):
    family: str
    lang: str
    view: Literal["norm", "fold"]
    description: str = ""
    patterns: list[PatternRecord]


class Lexicon(_Strict):
    lang: str
    description: str = ""
    number_convention: Literal["space-dot", "comma"] | None = None
    # A bare scaled amount with no currency in its passage is money in this currency
    # (Vietnamese "1,2 tỷ" is đồng); without it, such an amount is a count.
    bare_amount_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    tables: dict[str, dict[str, Any]] = Field(default_factory=dict)
    lists: dict[str, list[str]] = Field(default_factory=dict)
    variables: dict[str, str] = Field(default_factory=dict)

    @field_validator("variables")
    @classmethod
    def _names(cls, v: dict[str, str]) -> dict[str, str]:
        for k in v:
            if not regex.fullmatch(r"[a-z][a-z0-9_]*", k):
                raise ValueError(f"bad variable name {k!r}")
        return v


class CompiledPattern:
    """A pattern record ready to run: compiled regex plus its record."""

    __slots__ = ("record", "regex", "view", "lang", "source", "expanded", "not_after", "not_before", "requires",
                 "not_after_bare")

    def __init__(self, record: PatternRecord, compiled: regex.Pattern, view: str, lang: str,
                 source: str, expanded: str, not_after: regex.Pattern | None = None,
                 not_before: regex.Pattern | None = None, requires: tuple[str, ...] = (),
                 not_after_bare: regex.Pattern | None = None):
        self.record = record
        self.not_after_bare = not_after_bare
        # Folded literals, one of which a text must contain for the regex to be worth running.
        self.requires = requires
        self.regex = compiled
        self.view = view
        self.lang = lang
        self.source = source
        self.expanded = expanded
        self.not_after = not_after
        self.not_before = not_before

    @property
    def id(self) -> str:
        return self.record.id

    def __repr__(self) -> str:
        return f"<pattern {self.id} ({self.source})>"


class LanguageLexicon:
    """Tables and variables for one language, merged over the common lexicon."""

    def __init__(self, lang: str, common: Lexicon, own: Lexicon):
        self.lang = lang
        self.number_convention = own.number_convention or common.number_convention or "space-dot"
        self.bare_amount_currency = own.bare_amount_currency
        self.tables: dict[str, dict[str, Any]] = {**common.tables, **own.tables}
        self.lists: dict[str, list[str]] = {**common.lists, **own.lists}
        self.variables: dict[str, str] = {**common.variables, **own.variables}
        # Folded keys, so a builder can look up what a fold-view pattern matched.
        self._folded = {name: {_norm_key(k): v for k, v in t.items()} for name, t in self.tables.items()}
        self._folded_lists = {name: {_norm_key(k) for k in t} for name, t in self.lists.items()}
        self._exact: dict[str, set[str]] = {}
        self._compiled: dict[str, regex.Pattern] = {}

    def compiled_variable(self, name: str) -> regex.Pattern | None:
        """A lexicon variable compiled for the fold view (once), or None when the language has none."""
        if name not in self.variables:
            return None
        if name not in self._compiled:
            self._compiled[name] = regex.compile(self.expand("{" + name + "}", "fold", f"lexicon {self.lang}"))
        return self._compiled[name]

    @functools.cached_property
    def zones(self) -> tuple[regex.Pattern, ...]:
        """The ``zone_*`` variables compiled for the fold view: spans with no mention in them."""
        return tuple(self.compiled_variable(name) for name in sorted(self.variables) if name.startswith("zone_"))

    def spelled(self, table: str, word: str) -> bool:
        """Whether ``word`` is an entry of ``table`` (a table or list) with its exact letters, case aside."""
        exact = self._exact.get(table)
        if exact is None:
            keys = list(self.tables.get(table, {})) + list(self.lists.get(table, []))
            exact = self._exact[table] = {" ".join(unicodedata.normalize("NFC", str(k)).lower().split()) for k in keys}
        return " ".join(word.lower().split()) in exact

    def words(self, name: str) -> regex.Pattern:
        """The entries of a table or list as whole words of the fold view, compiled once."""
        key = "words:" + name
        if key not in self._compiled:
            self._compiled[key] = regex.compile(
                r"(?<![\p{L}])" + self.expand("{" + name + "}", "fold", f"lexicon {self.lang}") + r"(?![\p{L}])")
        return self._compiled[key]

    def is_entry(self, name: str, word: str) -> bool:
        """Whether ``word`` is an entry of the table or list ``name``: spelled exactly, diacritics
        included (Vietnamese ``hàng`` is not ``hạng``), or, for a word written without any (a
        text that lost them), folded alike."""
        return self.spelled(name, word) or (word.isascii() and (self.in_list(name, word) or
                                                                   self.lookup(name, word) is not None))

    def is_stop(self, word: str) -> bool:
        """Whether ``word`` is a stop word (``unit_stop``), diacritics compared as in ``is_entry``."""
        return self.is_entry("unit_stop", word)

    def lookup(self, table: str, key: str, default: Any = None) -> Any:
        return self._folded.get(table, {}).get(_norm_key(key), default)

    def in_list(self, name: str, word: str) -> bool:
        return _norm_key(word) in self._folded_lists.get(name, set())

    def literals(self, items: list[str], where: str) -> tuple[str, ...]:
        """The folded literals of a pattern's ``requires``: each item as it is, or the entries
        of the table or list it names (an entry of several words stands for its first word,
        as its words may be split by any whitespace). A literal holding another is dropped."""
        out: set[str] = set()
        for item in items:
            m = regex.fullmatch(r"\{([a-z][a-z0-9_]*)\}", item)
            if m is None:
                words = [item]
            elif m.group(1) in self.tables or m.group(1) in self.lists:
                words = list(self.tables.get(m.group(1), {})) + list(self.lists.get(m.group(1), []))
            else:
                raise PatternFileError(f"{where}: requires names {item!r}, which is no lexicon table or list")
            for w in words:
                parts = fold(str(w)).split()
                if not parts:
                    raise PatternFileError(f"{where}: requires holds an empty literal")
                out.add(parts[0])
        return tuple(sorted(w for w in out if not any(o != w and o in w for o in out)))

    def expand(self, template: str, view: str, where: str) -> str:
        def sub(m: regex.Match, depth: int = 0) -> str:
            name = m.group(1)
            if depth > 10:
                raise PatternFileError(f"{where}: variable {{{name}}} expands recursively")
            if name in self.variables:
                return "(?:" + _VAR.sub(lambda mm: sub(mm, depth + 1), self.variables[name]) + ")"
            if name in self.tables or name in self.lists:
                keys = list(self.tables.get(name, {})) + list(self.lists.get(name, []))
                if view == "fold":
                    keys = [fold(k) for k in keys]
                keys = sorted(set(keys), key=lambda k: (-len(k), k))
                return "(?:" + "|".join(_word_regex(k) for k in keys) + ")"
            raise PatternFileError(f"{where}: unknown variable {{{name}}}")

        return _VAR.sub(sub, template)


def _before_guard(lex: LanguageLexicon, source: str | None, where: str) -> regex.Pattern | None:
    """A ``not_after``-like option compiled to end at the window's end. Searched backwards
    ((?r)), it makes one attempt at that end instead of one per position of the window."""
    if not source:
        return None
    return regex.compile("(?r)(?:" + lex.expand(source, "norm", where) + r")\Z")


@functools.lru_cache(maxsize=8192)
def _norm_key(k: str) -> str:
    return " ".join(fold(str(k)).split())


def _word_regex(word: str) -> str:
    # A space in a lexicon entry matches any run of whitespace (line breaks included).
    return r"\s+".join(regex.escape(part) for part in word.split())


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=_YAML_LOADER)
    except (OSError, yaml.YAMLError) as e:
        raise PatternFileError(f"{path}: cannot read: {e}") from e


def _validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = list(err["loc"])
            where = ".".join(str(x) for x in loc)
            if len(loc) >= 2 and loc[0] == "patterns" and isinstance(data, dict):
                try:
                    where = f"record {data['patterns'][loc[1]].get('id', loc[1])!r}: " + ".".join(str(x) for x in loc[2:])
                except (KeyError, IndexError, TypeError, AttributeError):
                    pass
            problems.append(f"{where}: {err['msg']}")
        raise PatternFileError(f"{path}: " + "; ".join(problems)) from e


@functools.lru_cache(maxsize=None)
def languages(root: Path = PATTERNS_DIR) -> dict[str, dict[str, Any]]:
    data = _load_yaml(root / "languages.yaml") or {}
    if not isinstance(data, dict) or not isinstance(data.get("languages"), dict):
        raise PatternFileError(f"{root / 'languages.yaml'}: expected a mapping 'languages'")
    return data["languages"]


def check_lang(lang: str, root: Path = PATTERNS_DIR) -> str:
    langs = languages(root)
    if lang not in langs:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(sorted(langs))}")
    return lang


def lexicon(lang: str, root: Path = PATTERNS_DIR) -> LanguageLexicon:
    return _lexicon(lang, root)  # one cache entry whether root is given or not


@functools.lru_cache(maxsize=None)
def _lexicon(lang: str, root: Path) -> LanguageLexicon:
    common = _validate(Lexicon, _load_yaml(root / "common" / "lexicon.yaml"), root / "common" / "lexicon.yaml")
    own_path = root / lang / "lexicon.yaml"
    own = _validate(Lexicon, _load_yaml(own_path), own_path) if own_path.exists() else Lexicon(lang=lang)
    return LanguageLexicon(lang, common, own)


def pattern_files(root: Path = PATTERNS_DIR) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.name not in ("lexicon.yaml", "languages.yaml"))


@functools.lru_cache(maxsize=None)
def load_pattern_file(path: Path) -> PatternFile:
    return _validate(PatternFile, _load_yaml(path), path)


def compiled_patterns(lang: str, root: Path = PATTERNS_DIR) -> tuple[CompiledPattern, ...]:
    """Every pattern that applies to ``lang``, compiled, in file order."""
    return _compiled_patterns(lang, root)


@functools.lru_cache(maxsize=None)
def _compiled_patterns(lang: str, root: Path) -> tuple[CompiledPattern, ...]:
    from .builders import BUILDERS  # builders import this module's types

    check_lang(lang, root)
    lex = lexicon(lang, root)
    out: list[CompiledPattern] = []
    seen: dict[str, str] = {}
    for path in pattern_files(root):
        pf = load_pattern_file(path)
        if pf.lang not in ("all", lang):
            continue
        rel = str(path.relative_to(root))
        for rec in pf.patterns:
            where = f"{rel}: record {rec.id!r}"
            if rec.build not in BUILDERS:
                raise PatternFileError(f"{where}: unknown build {rec.build!r}; choose one of {', '.join(sorted(BUILDERS))}")
            if rec.id in seen and seen[rec.id] != rel:
                raise PatternFileError(f"{where}: id already used in {seen[rec.id]}")
            seen[rec.id] = rel
            expanded = lex.expand(rec.regex, pf.view, where)
            opts = rec.options
            try:
                compiled = regex.compile(expanded)
                not_after = _before_guard(lex, opts.not_after, where)
                not_after_bare = _before_guard(lex, opts.not_after_bare, where)
                not_before = regex.compile(lex.expand(opts.not_before, "norm", where)) if opts.not_before else None
            except regex.error as e:
                raise PatternFileError(f"{where}: regex does not compile: {e}") from e
            for group, table in opts.exact.items():
                if table not in lex.tables and table not in lex.lists:
                    raise PatternFileError(f"{where}: options.exact names unknown table {table!r}")
                if group not in compiled.groupindex:
                    raise PatternFileError(f"{where}: options.exact names unknown group {group!r}")
            requires = lex.literals(rec.requires, where)
            if opts.not_after_bare and "unit" not in compiled.groupindex:
                raise PatternFileError(f"{where}: options.not_after_bare needs a group 'unit'")
            out.append(CompiledPattern(rec, compiled, pf.view, pf.lang, rel, expanded, not_after, not_before, requires,
                                       not_after_bare))
    return tuple(out)
