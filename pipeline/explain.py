"""``explain``: the text with each mention marked, and optionally the dropped candidates."""
from __future__ import annotations

from .document import analyse
from .lang import choose_lang

_SKIP = {"type", "start", "end", "text", "pattern"}


def _value(fields: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in fields.items() if k not in _SKIP and v not in (None, ""))


def explain(text: str, source: str, lang: str = "auto", candidates: bool = False) -> str:
    lang = choose_lang(source, text, lang)
    a = analyse(text, lang)
    out = [f"{source} (lang {lang}): {len(a.mentions)} mentions"]
    marked, pos = [], 0
    for m in a.mentions:
        marked.append(text[pos:m.start])
        marked.append(f"[{text[m.start:m.end]}]{{{m.type}}}")
        pos = m.end
    marked.append(text[pos:])
    out.append("".join(marked))
    out.append("")
    for m in a.mentions:
        d = m.model_dump()
        out.append(f"{m.start:>6}:{m.end:<6} {m.type:9} {m.text!r:32} {_value(d)}  <- {m.pattern}")
    if candidates:
        dropped = sorted(a.dropped, key=lambda d: (d.start, d.end))
        out.append("")
        out.append(f"dropped candidates: {len(dropped)}")
        for d in dropped:
            out.append(f"{d.start:>6}:{d.end:<6} {d.type:9} {text[d.start:d.end]!r:32} {d.status}: {d.reason}  <- {d.pattern}")
    return "\n".join(out)
