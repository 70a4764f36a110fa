"""Validated records: one model per mention type, a discriminated union on
``type``, and the document record written as one JSON line.

Field names follow the mention contract (``spec/mentions.md`` in the
README): they are added to, never renamed.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model, field_validator, model_validator

SCHEMA_VERSION = "1.0.0"
SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"

EDTF_DATE = r"^(\d{4}|XXXX)(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
EDTF_PERIOD = r"^(\d{4}|XXXX)(-\d{2}(-\d{2})?)?/((\d{4}|XXXX)(-\d{2}(-\d{2})?)?|\.\.)$"

Number = Union[int, float]


class _Mention(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(ge=0, description="Start offset (code points) into the document as decoded.")
    end: int = Field(ge=0, description="End offset, exclusive.")
    text: str = Field(min_length=1, description="document[start:end]")
    pattern: str = Field(description="Id of the pattern that produced the mention.")

    @model_validator(mode="after")
    def _span(self):
        if self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}:{self.end} does not fit text {self.text!r}")
        return self


class DocRef(_Mention):
    type: Literal["doc_ref"] = "doc_ref"
    canonical: str | None = Field(description="Full code in ASCII upper case, or null for an unresolved short reference.")
    number: int = Field(ge=0)
    kind: str | None
    issuer: str | None
    year: int | None
    kind_label: str | None = None
    issuer_label: str | None = None
    issued: str | None = Field(default=None, pattern=EDTF_DATE, description="EDTF date the text gives for the document.")
    issuing_body: str | None = None


class Date(_Mention):
    type: Literal["date"] = "date"
    value: str = Field(pattern=EDTF_DATE)


class Period(_Mention):
    type: Literal["period"] = "period"
    value: str = Field(pattern=EDTF_PERIOD)


class Money(_Mention):
    type: Literal["money"] = "money"
    amount: Number
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Percent(_Mention):
    type: Literal["percent"] = "percent"
    value: Number
    qualifier: str | None = None


class Quantity(_Mention):
    type: Literal["quantity"] = "quantity"
    value: Number
    unit: str
    qualifier: str | None = None


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    stated: Number
    computed: Number
    agrees: bool


class Fraction(_Mention):
    type: Literal["fraction"] = "fraction"
    numerator: Number
    denominator: Number
    unit: str
    check: Check | None = None

    @field_validator("denominator")
    @classmethod
    def _nonzero(cls, v: Number) -> Number:
        if v == 0:
            raise ValueError("denominator is 0")
        return v


class Rank(_Mention):
    type: Literal["rank"] = "rank"
    rank: int = Field(ge=1)
    out_of: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _within(self):
        if self.out_of is not None and self.rank > self.out_of:
            raise ValueError(f"rank {self.rank} beyond {self.out_of}")
        return self


Mention = Annotated[Union[DocRef, Date, Period, Money, Percent, Quantity, Fraction, Rank], Field(discriminator="type")]
MENTION_ADAPTER: TypeAdapter = TypeAdapter(Mention)
MENTION_TYPES = ("doc_ref", "date", "period", "money", "percent", "quantity", "fraction", "rank")


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    canonical: str
    count: int
    offsets: list[tuple[int, int]]


class ErrorInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Literal["decode_error", "unsupported_format", "empty", "too_large", "unreadable", "extract_error"]
    message: str


class DocumentRecord(BaseModel):
    """One JSON line: a document's mentions, or an error in their place."""
    model_config = ConfigDict(extra="forbid")

    source: str
    sha256: str | None = None
    lang: str | None = None
    chars: int | None = None
    encoding: str | None = None
    schema_version: str = Field(default=SCHEMA_VERSION, pattern=SEMVER,
                                description="Semantic version of the record schema.")
    mentions: list[Mention] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    rejected: int = Field(default=0, description="Matches dropped by validation (see `explain --candidates`).")
    error: ErrorInfo | None = None
    text: str | None = None


# ---------------------------------------------------------------------------
# ``extract --granularity mention``: one line per mention, each carrying its
# document's identity; a document that could not be processed stays one line.

class _LineContext(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(description="The document's path as given (`-` for stdin).")
    sha256: str | None = Field(default=None, description="Of the document's input bytes.")
    lang: str | None = Field(default=None, description="The language used for the document.")
    schema_version: str = Field(default=SCHEMA_VERSION, pattern=SEMVER)


_LINE_INDEX = (int, Field(ge=0, description="Position of the mention in its document's `mentions` (0-based)."))
MENTION_LINE_MODELS = tuple(
    create_model(f"{m.__name__}Line", __base__=(_LineContext, m), __module__=__name__, index=_LINE_INDEX)
    for m in (DocRef, Date, Period, Money, Percent, Quantity, Fraction, Rank))


class ErrorLine(_LineContext):
    """The line of a document that could not be processed."""
    error: ErrorInfo


MentionLine = Annotated[Union[MENTION_LINE_MODELS], Field(discriminator="type")]  # type: ignore[valid-type]
Line = Union[MentionLine, ErrorLine]
LINE_ADAPTER: TypeAdapter = TypeAdapter(Line)
