"""Read stage: a file's bytes to the text the extractor sees, or a coded error.

Offsets in the output refer to the text returned here. For plain text it is
the file decoded and nothing else changed (a BOM removed); for HTML, .docx
and PDF it is the text extracted from them (see ``formats``). Every failure
is a ReadError with a stable code and a message naming the file.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ERROR_CODES, ReadError
from .formats import to_text

__all__ = ["ERROR_CODES", "MAX_BYTES", "Loaded", "ReadError", "load_bytes", "read_document", "sha256_of"]

MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    source: str
    sha256: str
    text: str
    encoding: str


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read and decode one file; every failure is a ReadError naming the file."""
    source = str(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise ReadError("too_large", f"{source}: {size} bytes, above the limit of {max_bytes} (--max-bytes)")
            data = f.read(max_bytes + 1)  # a pipe, or a file still growing, may hold more than it said
    except OSError as e:
        raise ReadError("unreadable", f"{source}: {e.strerror or e}") from e
    return load_bytes(data, source, max_bytes)


def load_bytes(data: bytes, source: str, max_bytes: int = MAX_BYTES) -> Loaded:
    """Decode the bytes of one document (``source`` names it in messages and tells its extension)."""
    if len(data) > max_bytes:
        raise ReadError("too_large", f"{source}: more than {max_bytes} bytes, the limit (--max-bytes)")
    sha = hashlib.sha256(data).hexdigest()
    try:
        if not data:
            raise ReadError("empty", f"{source}: empty file")
        text, encoding = to_text(data, source)
        if not text or text.isspace():  # strip() would copy a whole text that ends with a newline
            raise ReadError("empty", f"{source}: no text")
    except ReadError as e:
        e.sha256 = sha
        raise
    except Exception as e:
        # A parser library failing in a way it does not document, on one malformed file,
        # is that file's error: the batch records it and goes on.
        err = ReadError("unreadable", f"{source}: the reader failed: {type(e).__name__}: {e}")
        err.sha256 = sha
        raise err from e
    return Loaded(source=source, sha256=sha, text=text, encoding=encoding)


def sha256_of(path: str, max_bytes: int = MAX_BYTES) -> str | None:
    """The ``sha256`` that a record of this file carries: None when it cannot be read or is too large."""
    h = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    return None
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()
