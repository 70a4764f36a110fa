"""The raw output of the extract stage, before overlaps are resolved.

A candidate keeps the raw match (pattern id, priority, offsets in the
normalised view) apart from the normalised value (``fields``), as Duckling
separates ``body`` from ``value``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Candidate:
    type: str
    start: int  # index into the normalised view (same index space as ``fold``)
    end: int
    fields: dict[str, Any]
    pattern: str
    priority: int
    # Filled by the resolve stage: "kept", or why the candidate was dropped.
    status: str = "kept"
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Candidate") -> bool:
        return self.start < other.end and other.start < self.end


class Rejected(ValueError):
    """A match that fails validation (an impossible date, a reversed period...)."""
