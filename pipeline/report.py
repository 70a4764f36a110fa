"""``report``: one self-contained HTML page for reviewing records.

Each document's text is shown with its mentions highlighted by type
(colours and a legend), the normalised value on hover (``title``) and in a
table beside the text, the documents it cites (from the record's
``references``) and the consistency checks that failed. The page has its
CSS and JavaScript inline, loads nothing from the network, and prints (print
CSS: one document per page, tables under the text, colours kept).

Inputs are text files and folders (extracted on the fly), or ``.jsonl``
output of ``extract`` at either granularity. A record without its text
(``extract`` without ``--with-text``) takes it from its ``source`` file when
that file still has the record's sha256, else is shown without text.
"""
from __future__ import annotations

import calendar
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from . import __version__
from .models import MENTION_TYPES, SCHEMA_VERSION, DocumentRecord

# Consistency checks: id -> what fails it. Listed on the page and in the README.
CHECKS: dict[str, str] = {
    "error": "the document could not be processed (error record)",
    "record_invalid": "the record does not validate against the record schema",
    "schema_major": "the record's schema_version has another major version than this tool's",
    "text_unavailable": "the text is not in the record and its source file is missing or changed (sha256)",
    "text_mismatch": "a mention's text is not document[start:end]",
    "overlap": "two mentions overlap",
    "unresolved_reference": "a short reference (doc_ref) the text does not resolve: canonical is null",
    "references_mismatch": "the record's references differ from its doc_ref mentions (codes, counts, offsets)",
    "fraction_above_one": "a fraction whose numerator is greater than its denominator",
    "fraction_check": "a fraction whose stated ratio disagrees with it (check.agrees is false)",
    "impossible_date": "a date (or issued date) that is not in the calendar, such as 2021-02-31",
    "period_reversed": "a period that ends before it starts",
    "rejected": "matches were dropped by validation (rejected > 0; see explain --candidates)",
}

TYPE_LABELS = {
    "doc_ref": "document reference", "date": "date", "period": "period", "money": "money",
    "percent": "percentage", "quantity": "count", "fraction": "fraction", "rank": "rank",
}
# background, border: light fills that keep dark text readable, a darker edge for each
TYPE_COLOURS = {
    "doc_ref": ("#ffd8a8", "#e8590c"), "date": ("#a5d8ff", "#1971c2"), "period": ("#d0bfff", "#6741d9"),
    "money": ("#b2f2bb", "#2f9e44"), "percent": ("#ffc9c9", "#e03131"), "quantity": ("#fff3bf", "#f08c00"),
    "fraction": ("#99e9f2", "#0c8599"), "rank": ("#fcc2d7", "#c2255c"),
}
_CONTEXT = ("source", "sha256", "lang", "schema_version", "index")


@dataclass
class DocView:
    """A record ready to render: the record, its text (or why none) and its failed checks."""
    rec: dict[str, Any]
    text: str | None = None
    text_note: str = ""
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def source(self) -> str:
        return str(self.rec.get("source", "?"))

    @property
    def mentions(self) -> list[dict[str, Any]]:
        ms = self.rec.get("mentions")
        return [m for m in ms if isinstance(m, dict)] if isinstance(ms, list) else []


# ---------------------------------------------------------------- loading

def _records_from_jsonl(path: Path) -> list[dict[str, Any]]:
    """Document records of a ``.jsonl`` file; mention lines are grouped back into documents."""
    recs: list[dict[str, Any]] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            recs.append({"source": f"{path}:{n}", "mentions": [],
                         "error": {"code": "unreadable", "message": f"{path}:{n}: not JSON: {e.msg}"}})
            continue
        if not isinstance(obj, dict):
            continue
        if "mentions" in obj or ("index" not in obj and "type" not in obj):
            recs.append(obj)  # a document record (or an error line of either granularity)
            continue
        key = (obj.get("source"), obj.get("sha256"))
        if not recs or recs[-1].get("_lines") != key:
            recs.append({**{k: obj.get(k) for k in _CONTEXT if k != "index"}, "mentions": [], "_lines": key})
        recs[-1]["mentions"].append({k: v for k, v in obj.items() if k not in _CONTEXT})
    for rec in recs:
        if rec.pop("_lines", None) is not None:
            from .document import references
            from .models import MENTION_ADAPTER
            try:
                models = [MENTION_ADAPTER.validate_python(m) for m in rec["mentions"]]
                rec["references"] = [r.model_dump(mode="json") for r in references(models)]
            except ValueError:
                pass
    return recs


def _text_for(rec: dict[str, Any], base: Path | None) -> tuple[str | None, str]:
    if isinstance(rec.get("text"), str):
        return rec["text"], ""
    if rec.get("error"):
        return None, "no text: the document could not be processed"
    src = rec.get("source")
    if not src or src == "-":
        return None, "no text: the record has none (extract --with-text) and came from stdin"
    from .read import ReadError, read_document
    candidates = [Path(src)] + ([base / src] if base is not None and not Path(src).is_absolute() else [])
    for p in candidates:
        if p.is_file():
            try:
                loaded = read_document(p)
            except ReadError as e:
                return None, f"no text: {e.message}"
            if rec.get("sha256") and loaded.sha256 != rec["sha256"]:
                return None, f"no text: {p} has changed since extraction (sha256 differs)"
            return loaded.text, ""
    return None, f"no text: the record has none (extract --with-text) and {src} was not found"


def load(paths: list[str], lang: str = "auto") -> list[DocView]:
    """Records for ``paths``: ``.jsonl`` files are read, anything else is extracted."""
    from .batch import Options, iter_inputs, process_input
    views: list[DocView] = []
    texts: list[str] = []
    for p in paths:
        if p.lower().endswith(".jsonl") and Path(p).is_file():
            for rec in _records_from_jsonl(Path(p)):
                text, note = _text_for(rec, Path(p).resolve().parent)
                views.append(DocView(rec, text, note))
        else:
            texts.append(p)
    for inp in iter_inputs(texts):
        rec = process_input(inp, Options(lang=lang, with_text=True))
        views.append(DocView(rec, rec.get("text"), "" if rec.get("text") is not None else
                             "no text: the document could not be processed"))
    for v in views:
        v.failed = check(v)
    return views


# ---------------------------------------------------------------- checks

def _real_date(value: str) -> bool:
    parts = value.split("-")
    if len(parts) != 3 or not all(x.isdigit() for x in parts):
        return True  # truncated or unspecified (XXXX): nothing to check
    y, m, d = map(int, parts)
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def _edtf_key(value: str) -> tuple[int, ...] | None:
    parts = value.split("-")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def check(v: DocView) -> list[tuple[str, str]]:
    """The failed consistency checks of one record: (check id, detail)."""
    rec, out = v.rec, []
    if rec.get("error"):
        err = rec["error"] if isinstance(rec["error"], dict) else {}
        out.append(("error", f"{err.get('code', '?')}: {err.get('message', '')}"))
    try:
        DocumentRecord.model_validate({k: x for k, x in rec.items()})
    except ValueError as e:
        first = str(e).splitlines()
        out.append(("record_invalid", " ".join(first[:3])))
    version = str(rec.get("schema_version", ""))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        out.append(("schema_major", f"schema_version {version or 'missing'}, this tool reads {SCHEMA_VERSION}"))
    if v.text is None and not rec.get("error"):
        out.append(("text_unavailable", v.text_note))
    mentions = [m for m in v.mentions if isinstance(m, dict)]
    last_end, last_text = -1, ""
    for m in mentions:
        s, e, t = m.get("start"), m.get("end"), m.get("text")
        where = f"{t!r} at {s}:{e}"
        if v.text is not None and (not isinstance(s, int) or not isinstance(e, int) or v.text[s:e] != t):
            out.append(("text_mismatch", f"{where}: the text there is {v.text[s:e]!r}"
                        if isinstance(s, int) and isinstance(e, int) else where))
        if isinstance(s, int) and s < last_end:
            out.append(("overlap", f"{where} overlaps {last_text!r}"))
        if isinstance(e, int) and e > last_end:
            last_end, last_text = e, t
        typ = m.get("type")
        if typ == "doc_ref" and m.get("canonical") is None:
            out.append(("unresolved_reference", f"{where}: no full code for number {m.get('number')} in the text"))
        if typ == "fraction":
            num, den = m.get("numerator"), m.get("denominator")
            if isinstance(num, (int, float)) and isinstance(den, (int, float)) and num > den:
                out.append(("fraction_above_one", f"{where}: {num} > {den}"))
            chk = m.get("check")
            if isinstance(chk, dict) and chk.get("agrees") is False:
                out.append(("fraction_check", f"{where}: stated {chk.get('stated')}, computed {chk.get('computed')}"))
        for key in ("value", "issued") if typ in ("date", "doc_ref") else ():
            val = m.get(key)
            if isinstance(val, str) and not _real_date(val):
                out.append(("impossible_date", f"{where}: {key} {val}"))
        if typ == "period" and isinstance(m.get("value"), str) and "/" in m["value"]:
            a, b = m["value"].split("/", 1)
            ka, kb = _edtf_key(a), _edtf_key(b)
            if ka and kb and ka[:min(len(ka), len(kb))] > kb[:min(len(ka), len(kb))]:
                out.append(("period_reversed", f"{where}: {m['value']}"))
    if "references" in rec and not rec.get("error"):
        spans: dict[str, list[list[int]]] = defaultdict(list)
        for m in mentions:
            if m.get("type") == "doc_ref" and m.get("canonical"):
                spans[m["canonical"]].append([m.get("start"), m.get("end")])
        expected = {k: (len(x), x) for k, x in spans.items()}
        refs = rec.get("references") if isinstance(rec.get("references"), list) else []
        given = {r.get("canonical"): (r.get("count"), [list(o) for o in r.get("offsets") or [] if isinstance(o, list)])
                 for r in refs if isinstance(r, dict)}
        if expected != given:
            diff = sorted(set(expected) ^ set(given)) or sorted(k for k in expected if expected[k] != given.get(k))
            out.append(("references_mismatch", "codes " + ", ".join(map(str, diff))))
    rejected = rec.get("rejected")
    if isinstance(rejected, int) and rejected > 0:
        out.append(("rejected", f"{rejected} match{'es' if rejected > 1 else ''} dropped by validation"))
    return out


# ---------------------------------------------------------------- rendering

def _num(x: Any) -> str:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.6f}".rstrip("0").rstrip(".").replace(",", "\u202f")
    return f"{int(x):,}".replace(",", "\u202f")


def normalised(m: dict[str, Any]) -> str:
    """The normalised value of a mention, in words a reviewer reads."""
    t = m.get("type")
    if t == "doc_ref":
        head = m.get("canonical") or f"unresolved: number {m.get('number')}"
        extra = [x for x in (m.get("kind_label"), m.get("issuer_label")) if x]
        if m.get("issued"):
            extra.append(f"issued {m['issued']}")
        if m.get("issuing_body"):
            extra.append(f"by {m['issuing_body']}")
        return head + (f" ({', '.join(extra)})" if extra else "")
    if t in ("date", "period"):
        return str(m.get("value"))
    if t == "money":
        return f"{_num(m.get('amount'))} {m.get('currency', '')}".strip()
    if t == "percent":
        return f"{_num(m.get('value'))} %"
    if t == "quantity":
        return f"{_num(m.get('value'))} {m.get('unit') or ''}".strip()
    if t == "fraction":
        num, den = m.get("numerator"), m.get("denominator")
        ratio = f" = {_num(round(100 * num / den, 1))} %" if isinstance(num, (int, float)) and \
            isinstance(den, (int, float)) and den else ""
        return f"{_num(num)}/{_num(den)} {m.get('unit') or ''}".strip() + ratio
    if t == "rank":
        return f"rank {m.get('rank')}" + (f" of {m['out_of']}" if m.get("out_of") else "")
    return ""


def _e(x: Any) -> str:
    return escape("" if x is None else str(x), quote=True)


def _type_class(t: Any) -> str:
    return f"t-{t}" if t in MENTION_TYPES else "t-other"


def _highlighted(v: DocView, did: str) -> str:
    text = v.text or ""
    out, pos = [], 0
    for i, m in enumerate(v.mentions):
        s, e = m.get("start"), m.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and pos <= s < e <= len(text) and text[s:e] == m.get("text")):
            continue  # overlapping or misplaced: listed in the table and the checks, not highlighted
        tip = f"{TYPE_LABELS.get(m.get('type'), m.get('type'))}: {normalised(m)}\npattern {m.get('pattern')}"
        out.append(_e(text[pos:s]))
        out.append(f'<mark class="m {_type_class(m.get("type"))}" id="{did}-m{i}" data-row="{did}-r{i}" '
                   f'title="{_e(tip)}">{_e(text[s:e])}</mark>')
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def _mention_table(v: DocView, did: str) -> str:
    if not v.mentions:
        return '<p class="none">No mentions.</p>'
    rows = []
    for i, m in enumerate(v.mentions):
        t = m.get("type")
        rows.append(f'<tr id="{did}-r{i}" data-mark="{did}-m{i}"><td class="n">{i + 1}</td>'
                    f'<td><span class="chip {_type_class(t)}">{_e(t)}</span></td>'
                    f'<td class="tx">{_e(m.get("text"))}</td><td>{_e(normalised(m))}</td>'
                    f'<td class="off">{_e(m.get("start"))}–{_e(m.get("end"))}</td></tr>')
    return ('<table class="mentions"><thead><tr><th>#</th><th>type</th><th>text</th><th>normalised</th>'
            '<th>offsets</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _references(v: DocView) -> str:
    refs = [r for r in v.rec.get("references") or [] if isinstance(r, dict)] \
        if isinstance(v.rec.get("references"), list) else []
    if not refs:
        return '<p class="none">None.</p>'
    return '<ul class="refs">' + "".join(
        f'<li><code>{_e(r.get("canonical"))}</code> <span class="count">×{_e(r.get("count"))}</span></li>'
        for r in refs) + "</ul>"


def _failed(items: list[tuple[str, str]]) -> str:
    if not items:
        return '<p class="ok">All checks pass.</p>'
    return '<ul class="failed">' + "".join(
        f'<li><code class="check" title="{_e(CHECKS.get(c, c))}">{_e(c)}</code> {_e(d)}</li>' for c, d in items) + "</ul>"


def _document(v: DocView, n: int) -> str:
    did = f"doc-{n}"
    rec = v.rec
    counts = Counter(m.get("type") for m in v.mentions)
    meta = [f"lang {_e(rec.get('lang') or '?')}", f"{_e(len(v.mentions))} mentions"]
    if rec.get("chars") is not None:
        meta.append(f"{_e(rec['chars'])} characters")
    if rec.get("encoding"):
        meta.append(_e(rec["encoding"]))
    if rec.get("rejected") is not None:
        meta.append(f"{_e(rec['rejected'])} rejected")
    if rec.get("sha256"):
        meta.append(f'sha256 <code title="{_e(rec["sha256"])}">{_e(str(rec["sha256"])[:12])}…</code>')
    chips = " ".join(f'<span class="chip {_type_class(t)}">{_e(t)} {c}</span>'
                     for t, c in sorted(counts.items(), key=lambda kv: str(kv[0])))
    body = (f'<div class="text" lang="{_e(rec.get("lang") or "")}">{_highlighted(v, did)}</div>'
            if v.text is not None else f'<p class="notext">{_e(v.text_note)}</p>')
    flag = f' <span class="flag">{len(v.failed)} failed check{"s" if len(v.failed) != 1 else ""}</span>' \
        if v.failed else ""
    return (f'<article class="doc" id="{did}"><h2><span class="num">{n}.</span> {_e(v.source)}{flag}</h2>'
            f'<p class="meta">{" · ".join(meta)}</p><p class="types">{chips}</p>'
            f'<div class="cols"><div class="main">{body}</div><aside>'
            f'<h3>Mentions</h3>{_mention_table(v, did)}'
            f'<h3>Cited documents</h3>{_references(v)}'
            f'<h3>Failed checks</h3>{_failed(v.failed)}</aside></div></article>')


def _overview(views: list[DocView]) -> str:
    toc = "".join(
        f'<tr><td class="n">{n}</td><td><a href="#doc-{n}">{_e(v.source)}</a></td><td>{_e(v.rec.get("lang") or "")}</td>'
        f'<td class="n">{len(v.mentions)}</td><td class="n{" bad" if v.failed else ""}">{len(v.failed)}</td></tr>'
        for n, v in enumerate(views, 1))
    cited: dict[str, Counter] = defaultdict(Counter)
    for n, v in enumerate(views, 1):
        for r in v.rec.get("references") if isinstance(v.rec.get("references"), list) else []:
            if isinstance(r, dict) and r.get("canonical") and isinstance(r.get("count"), int):
                cited[str(r["canonical"])][n] += int(r.get("count") or 0)
    cited_rows = "".join(
        f'<tr><td><code>{_e(code)}</code></td><td class="n">{sum(docs.values())}</td><td>'
        + ", ".join(f'<a href="#doc-{n}">{n}</a>' for n in sorted(docs)) + "</td></tr>"
        for code, docs in sorted(cited.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))
    by_check = Counter(c for v in views for c, _ in v.failed)
    order = sorted(CHECKS, key=lambda c: -by_check[c])  # failing first, else in CHECKS order
    check_rows = "".join(
        f'<tr class="{"fail" if by_check[c] else "pass"}"><td><code class="check">{_e(c)}</code></td>'
        f'<td>{_e(CHECKS[c])}</td><td class="n{" bad" if by_check[c] else ""}">{by_check[c]}</td><td>' + ", ".join(
            f'<a href="#doc-{n}">{n}</a>' for n, v in enumerate(views, 1) if any(x == c for x, _ in v.failed))
        + "</td></tr>" for c in order)
    return (
        '<section class="overview">'
        f'<details open><summary>Documents ({len(views)})</summary><div class="scroll"><table class="toc"><thead><tr>'
        '<th>#</th><th>source</th><th>lang</th><th>mentions</th><th>failed checks</th></tr></thead>'
        f'<tbody>{toc}</tbody></table></div></details>'
        f'<details open><summary>Cited documents ({len(cited)})</summary><div class="scroll">'
        + (f'<table class="cited"><thead><tr><th>canonical code</th><th>mentions</th><th>in documents</th></tr></thead>'
           f'<tbody>{cited_rows}</tbody></table>' if cited else '<p class="none">None.</p>')
        + '</div></details>'
        f'<details open><summary>Consistency checks ({sum(by_check.values())} failed)</summary><div class="scroll">'
        '<table class="checks"><thead><tr><th>check</th><th>fails when</th><th>failed</th><th>in documents</th></tr>'
        f'</thead><tbody>{check_rows}</tbody></table></div></details></section>')


CSS = """
:root { --ink: #1d1d1f; --muted: #666; --line: #ddd; --bg: #fff; --soft: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--ink); background: var(--bg); }
header { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--line);
         padding: .6rem 1.2rem; }
h1 { font-size: 1.25rem; margin: 0 0 .2rem; }
h2 { font-size: 1.1rem; margin: 0 0 .2rem; word-break: break-all; }
h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 1rem 0 .3rem; }
main { padding: 0 1.2rem 2rem; }
.meta { color: var(--muted); margin: 0 0 .3rem; font-size: .85rem; }
.legend { display: flex; flex-wrap: wrap; gap: .35rem; margin-top: .3rem; }
.legend button { font: inherit; font-size: .8rem; cursor: pointer; border: 1px solid; border-radius: 3px;
                 padding: .05rem .45rem; }
.legend button[aria-pressed="false"] { opacity: .35; text-decoration: line-through; }
.chip { display: inline-block; font-size: .75rem; border-radius: 3px; padding: 0 .35rem; border: 1px solid;
        white-space: nowrap; }
mark.m { color: inherit; border-radius: 2px; border-bottom: 2px solid; padding: 0 1px; cursor: pointer; }
body.hide-doc_ref mark.t-doc_ref, body.hide-date mark.t-date, body.hide-period mark.t-period,
body.hide-money mark.t-money, body.hide-percent mark.t-percent, body.hide-quantity mark.t-quantity,
body.hide-fraction mark.t-fraction, body.hide-rank mark.t-rank { background: none; border-bottom-color: transparent; }
TYPE_RULES
.t-other { background: #e9ecef; border-color: #868e96; }
.overview { display: grid; grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr) minmax(0, 1.5fr); gap: 1rem;
            margin: 1rem 0; }
.toc td:nth-child(2) { overflow-wrap: anywhere; }
tr.pass td { color: var(--muted); }
.overview details { border: 1px solid var(--line); border-radius: 4px; padding: .4rem .6rem; background: var(--soft); }
.overview summary { font-weight: 600; cursor: pointer; }
.scroll { max-height: 18rem; overflow: auto; margin-top: .4rem; }
table { border-collapse: collapse; width: 100%; font-size: .82rem; }
th, td { text-align: left; vertical-align: top; padding: .15rem .4rem; border-bottom: 1px solid var(--line); }
th { position: sticky; top: 0; background: var(--soft); }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.bad, .flag { color: #c92a2a; font-weight: 600; }
.flag { font-size: .8rem; margin-left: .4rem; }
td.off { white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
td.tx { max-width: 14rem; }
article.doc { border-top: 2px solid var(--ink); padding-top: .8rem; margin-top: 1.6rem; }
.num { color: var(--muted); }
.cols { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .95rem; line-height: 1.7;
        border: 1px solid var(--line); border-radius: 4px; padding: .6rem .8rem; background: var(--bg); }
aside { max-height: 80vh; overflow: auto; }
aside h3:first-child { margin-top: 0; }
tr.hit td { background: #fff9db; }
mark.hit { outline: 2px solid var(--ink); }
.refs { margin: 0; padding-left: 1.2rem; columns: 2; }
.count, .none, .notext { color: var(--muted); }
.ok { color: #2b8a3e; }
ul.failed { margin: 0; padding-left: 1.2rem; font-size: .85rem; }
code { font-size: .85em; }
code.check { background: #fff5f5; color: #c92a2a; padding: 0 .2rem; border-radius: 2px; }
footer { color: var(--muted); font-size: .8rem; padding: 1rem 1.2rem; border-top: 1px solid var(--line); }
@media (max-width: 900px) { .cols, .overview { grid-template-columns: 1fr; } aside { max-height: none; } }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10.5pt; }
  header { position: static; border: 0; padding: 0; }
  .legend button { border-width: 1px; }
  .legend button[aria-pressed="false"] { opacity: 1; text-decoration: none; }
  main { padding: 0; }
  .overview { display: block; }
  .overview details { border: 0; background: none; padding: 0; margin-bottom: .8rem; }
  .scroll, aside { max-height: none; overflow: visible; }
  th { position: static; }
  article.doc { break-before: page; border-top: 0; margin-top: 0; }
  .cols { display: block; }
  .text { border: 0; padding: 0; }
  aside { margin-top: .8rem; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  footer { border: 0; }
}
"""

JS = """
(function () {
  'use strict';
  var body = document.body;
  document.querySelectorAll('.legend button').forEach(function (b) {
    b.addEventListener('click', function () {
      var on = b.getAttribute('aria-pressed') !== 'true';
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      body.classList.toggle('hide-' + b.getAttribute('data-type'), !on);
    });
  });
  function flash(el) {
    if (!el) { return; }
    el.classList.add('hit');
    window.setTimeout(function () { el.classList.remove('hit'); }, 1600);
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
    var mark = t.closest('mark.m');
    if (mark) {
      var row = document.getElementById(mark.getAttribute('data-row'));
      if (row) { row.scrollIntoView({block: 'nearest'}); flash(row); }
      return;
    }
    var tr = t.closest('tr[data-mark]');
    if (tr && !t.closest('a')) {
      var m = document.getElementById(tr.getAttribute('data-mark'));
      if (m) { m.scrollIntoView({block: 'center'}); flash(m); }
    }
  });
})();
"""


def render(views: list[DocView], title: str = "vnextract report") -> str:
    """The whole page."""
    type_rules = "\n".join(f".t-{t} {{ background: {bg}; border-color: {edge}; }}"
                           for t, (bg, edge) in TYPE_COLOURS.items())
    counts = Counter(m.get("type") for v in views for m in v.mentions)
    legend = "".join(
        f'<button type="button" class="chip t-{t}" data-type="{t}" aria-pressed="true" '
        f'title="show or hide the {_e(TYPE_LABELS[t])} highlights">{_e(TYPE_LABELS[t])} '
        f'<b>{counts.get(t, 0)}</b></button>' for t in MENTION_TYPES)
    failed = sum(len(v.failed) for v in views)
    total = sum(len(v.mentions) for v in views)
    docs = "".join(_document(v, n) for n, v in enumerate(views, 1))
    css = CSS.replace("TYPE_RULES", type_rules)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="vnextract {_e(__version__)}">'
        f'<link rel="icon" href="data:,"><title>{_e(title)}</title><style>{css}</style></head><body>'
        f'<header><h1>{_e(title)}</h1><p class="meta">{len(views)} documents · {total} mentions · '
        f'{failed} failed checks · hover a highlight for its value, click it for its row</p>'
        f'<div class="legend" role="group" aria-label="mention types">{legend}</div></header>'
        f'<main>{_overview(views)}{docs}</main>'
        f'<footer>vnextract {_e(__version__)}, record schema {_e(SCHEMA_VERSION)}. '
        'Offsets are code points into the text as decoded.</footer>'
        f'<script>{JS}</script></body></html>\n')


def write_report(paths: list[str], out: str, lang: str = "auto", title: str = "vnextract report") -> list[DocView]:
    """Render ``paths`` into the HTML file ``out`` (``-``: stdout); returns what was shown."""
    import os
    import sys
    views = load(paths, lang)
    page = render(views, title)
    if out == "-":
        sys.stdout.write(page)
        return views
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8", newline="\n")
    os.replace(tmp, target)  # never a half-written page
    return views

