"""The stable error codes of an error record, and the exception that carries one."""
from __future__ import annotations

ERROR_CODES = ("decode_error", "unsupported_format", "empty", "too_large", "unreadable", "extract_error")


class ReadError(Exception):
    """A document that cannot become text; ``code`` is one of ERROR_CODES."""

    def __init__(self, code: str, message: str):
        assert code in ERROR_CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
        self.sha256: str | None = None  # set once the bytes were read
