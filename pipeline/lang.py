"""Choose a document's language: a path folder named after a language
(``corpus/vi/…``), else the language whose stopwords (``stopwords`` in its
lexicon) are most frequent in the text, helped by letters only its script
uses (``script_letters`` in its lexicon, e.g. Vietnamese ạ, ễ, ư)."""
from __future__ import annotations

from pathlib import PurePath

import regex

from .patterns import languages, lexicon
from .textview import fold

_WORD = regex.compile(r"\p{L}+")


def lang_from_path(source: str) -> str | None:
    known = languages()
    for part in reversed(PurePath(source).parts[:-1]):
        if part in known:
            return part
    return None


def detect_lang(text: str) -> str:
    sample = text[:20000]
    words = [fold(w) for w in _WORD.findall(sample)]
    scores = {}
    for lang in languages():
        lex = lexicon(lang)
        scores[lang] = sum(1 for w in words if lex.in_list("stopwords", w))
        letters = lex.variables.get("script_letters")
        if letters:
            scores[lang] += len(regex.findall(letters, sample, flags=regex.IGNORECASE)) // 4
    return max(sorted(scores), key=lambda k: scores[k])


def choose_lang(source: str, text: str, requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    return lang_from_path(source) or detect_lang(text)
