"""The published JSON Schemas of the output lines.

``record_schema("document")`` describes a line of ``extract`` (one document),
``record_schema("mention")`` a line of ``extract --granularity mention``.
Committed copies live in ``schema/`` and a test keeps them equal to what the
models generate. Generation is deterministic: key order follows the models'
field order, nothing depends on hashing or the clock, and the text is
always serialised the same way (two-space indent, ``\\n`` line ends, final
newline).
"""
from __future__ import annotations

import json
from typing import Any

from .models import LINE_ADAPTER, SCHEMA_VERSION, DocumentRecord

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILES = {"document": "record.schema.json", "mention": "mention-line.schema.json"}


def record_schema(granularity: str = "document") -> dict[str, Any]:
    """The JSON Schema of one output line at ``granularity`` (``document`` or ``mention``)."""
    if granularity == "document":
        body = DocumentRecord.model_json_schema()
        title = "vnextract document record"
    elif granularity == "mention":
        body = LINE_ADAPTER.json_schema()
        title = "vnextract mention line"
    else:
        raise ValueError(f"unknown granularity {granularity!r}: choose one of {', '.join(FILES)}")
    regen = "python -m pipeline schema" + ("" if granularity == "document" else f" --granularity {granularity}")
    head = {
        "$schema": DIALECT,
        "$comment": f"schema_version {SCHEMA_VERSION}; generated from pipeline/models.py by "
                    f"`{regen} -o schema/{FILES[granularity]}`; do not edit by hand.",
        "title": title,
    }
    body.pop("title", None)
    return {**head, **body}


def render(granularity: str = "document") -> str:
    """The schema as committed in ``schema/``: the exact bytes, decoded."""
    return json.dumps(record_schema(granularity), indent=2, ensure_ascii=False) + "\n"
