"""spaCy component: ``nlp.add_pipe("vnextract_mentions")``.

Registered through the ``spacy_factories`` entry point, so installing
vnextract next to spaCy is enough: no import is needed. spaCy is an optional
extra (``pip install "vnextract[spacy]"``); nothing else in the package
imports this module.

The component runs the same extractor as the command line on ``doc.text``
and writes:

* ``doc.spans["vnextract"]``: one span per mention, labelled with its type
  (``date``, ``doc_ref``...), in offset order;
* ``span._.vnextract``: the validated mention (the Pydantic model of
  ``pipeline.models``), whose ``start``/``end`` are the mention's exact
  character offsets whatever the span's token boundaries;
* ``doc.user_data["vnextract"]``: the alignment report (see below) and the
  mentions as plain JSON data (so ``doc.to_bytes()`` still works).

**Alignment policy.** Mentions are found on characters, spans are made of
tokens. A mention becomes ``doc.char_span(start, end, alignment_mode=...)``
with ``alignment_mode="expand"`` by default: a mention that starts or ends
inside a token grows to the whole token (``2013`` in the token ``2013,``).
Such mentions are counted and listed in the report as ``inexact``; a
mention spaCy cannot align at all (possible with ``contract`` or
``strict``) gets no span and is listed as ``unaligned``. The report:

    {"lang": "vi", "alignment_mode": "expand", "mentions": [...],
     "exact": 41, "inexact": [{"index": 3, "type": "date", "start": 10, "end": 19,
                               "span_start": 10, "span_end": 20}],
     "unaligned": []}
"""
from typing import Optional

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
except ImportError as e:  # pragma: no cover - only without spaCy
    raise ImportError('the vnextract spaCy component needs spaCy: pip install "vnextract[spacy]"') from e

FACTORY = "vnextract_mentions"
SPANS_KEY = "vnextract"
EXTENSION = "vnextract"
USER_DATA_KEY = "vnextract"
ALIGNMENT_MODES = ("expand", "contract", "strict")
_ID_PREFIX = "vnextract:"


def _mention_of(span: Span):
    """``span._.vnextract``: the validated mention behind a span of ``doc.spans["vnextract"]``, else None."""
    report = span.doc.user_data.get(USER_DATA_KEY)
    sid = span.id_
    if not report or not sid.startswith(_ID_PREFIX):
        return None
    try:
        data = report["mentions"][int(sid[len(_ID_PREFIX):])]
    except (ValueError, IndexError, KeyError):
        return None
    from .models import MENTION_ADAPTER
    return MENTION_ADAPTER.validate_python(data)


if not Span.has_extension(EXTENSION):
    Span.set_extension(EXTENSION, getter=_mention_of)


class VnextractMentions:
    """Adds vnextract's mentions to a Doc (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = FACTORY, lang: str | None = None,
                 alignment_mode: str = "expand"):
        from .patterns import check_lang
        self.name = name
        self.lang = lang or nlp.lang
        check_lang(self.lang)  # ValueError naming the languages vnextract knows
        if alignment_mode not in ALIGNMENT_MODES:
            raise ValueError(f"alignment_mode {alignment_mode!r}: choose one of {', '.join(ALIGNMENT_MODES)}")
        self.alignment_mode = alignment_mode

    def __call__(self, doc: Doc) -> Doc:
        from .document import extract
        mentions = extract(doc.text, self.lang)
        spans, inexact, unaligned = [], [], []
        for i, m in enumerate(mentions):
            span = doc.char_span(m.start, m.end, label=m.type, alignment_mode=self.alignment_mode,
                                 span_id=f"{_ID_PREFIX}{i}")
            where = {"index": i, "type": m.type, "start": m.start, "end": m.end}
            if span is None:
                unaligned.append(where)
                continue
            if (span.start_char, span.end_char) != (m.start, m.end):
                inexact.append({**where, "span_start": span.start_char, "span_end": span.end_char})
            spans.append(span)
        doc.spans[SPANS_KEY] = spans
        doc.user_data[USER_DATA_KEY] = {
            "lang": self.lang,
            "alignment_mode": self.alignment_mode,
            "mentions": [m.model_dump(mode="json") for m in mentions],
            "exact": len(spans) - len(inexact),
            "inexact": inexact,
            "unaligned": unaligned,
        }
        return doc


@Language.factory(FACTORY, default_config={"lang": None, "alignment_mode": "expand"})
def make_vnextract_mentions(nlp: Language, name: str, lang: Optional[str],  # noqa: UP045 (read by spaCy)
                            alignment_mode: str) -> VnextractMentions:
    """The ``vnextract_mentions`` factory; ``lang`` defaults to the pipeline's language."""
    return VnextractMentions(nlp, name, lang=lang, alignment_mode=alignment_mode)
