"""Read stage: bytes from a file, decoded to text, or a coded error.

Offsets in the output refer to the text returned here: UTF-8 with its BOM
removed and nothing else changed (the mention contract). UTF-16 with a BOM
is decoded too. Anything else that is not valid UTF-8 is a ``decode_error``;
bytes that look binary are ``unsupported_format``.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 256 * 1024 * 1024
ERROR_CODES = ("decode_error", "unsupported_format", "empty", "too_large", "unreadable", "extract_error")


class ReadError(Exception):
    """A document that cannot become text; ``code`` is one of ERROR_CODES."""

    def __init__(self, code: str, message: str):
        assert code in ERROR_CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
        self.sha256: str | None = None  # set once the bytes were read


@dataclass(frozen=True)
class Loaded:
    source: str
    sha256: str
    text: str
    encoding: str


_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (docx, xlsx...)",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
}


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Decode ``data`` (UTF-8 with or without BOM, UTF-16 with BOM) or raise ReadError."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ReadError("unsupported_format", f"{source}: {what}, not plain text")
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise ReadError("decode_error", f"{source}: invalid UTF-16 at byte {e.start}: {e.reason}") from e
    else:
        encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError("decode_error", f"{source}: invalid UTF-8 at byte {e.start}: {e.reason}") from e
    if "\x00" in text[:4096] and text[:4096].count("\x00") > len(text[:4096]) // 100:
        raise ReadError("unsupported_format", f"{source}: contains NUL bytes, looks binary")
    return text, encoding


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read and decode one file; every failure is a ReadError naming the file."""
    source = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise ReadError("too_large", f"{source}: {size} bytes, above the limit of {max_bytes}")
        data = p.read_bytes()
    except ReadError:
        raise
    except OSError as e:
        raise ReadError("unreadable", f"{source}: {e.strerror or e}") from e
    return load_bytes(data, source)


def load_bytes(data: bytes, source: str) -> Loaded:
    sha = hashlib.sha256(data).hexdigest()
    try:
        text, encoding = decode(data, source)
        if not text.strip():
            raise ReadError("empty", f"{source}: no text")
    except ReadError as e:
        e.sha256 = sha
        raise
    return Loaded(source=source, sha256=sha, text=text, encoding=encoding)
