"""Format readers: the bytes of one document to the text the extractor sees.

The format is told by content first (magic bytes, an HTML prologue), then
by the file's extension:

* plain text: UTF-8 with or without BOM, UTF-16/32 with BOM, UTF-16 without
  BOM (a NUL in every other byte), else a legacy 8-bit encoding among
  ``LEGACY_ENCODINGS`` chosen by charset-normalizer;
* HTML: the visible text; script, style, nav, header, footer, head,
  comments and ``hidden`` elements dropped; one line per block, table cells
  joined with `` | ``;
* ``.docx``: paragraphs and table rows in document order, one line each,
  cells joined with `` | `` (the pipe tables ``tables.py`` reads);
* PDF with a text layer: the pages' text, pages separated by a form feed line.

``to_text`` returns ``(text, encoding)``: the codec for plain text
(``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252``...), ``html:<codec>``,
``docx`` or ``pdf`` for the others, whose offsets index the extracted text,
not the bytes. Every failure is a ReadError naming the file.
"""
from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
import zlib
from pathlib import PurePath

from .errors import ReadError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# What a folder walk picks up unless told otherwise (--include).
DEFAULT_INCLUDE = ("*.txt", *(f"*{s}" for s in HTML_SUFFIXES), "*.docx", "*.pdf")

# The legacy encodings of our languages: Western European (fr, en) and Vietnamese
# Windows. Left free, detection guesses wrong on short texts: a French cp1252
# paragraph came out as mac_latin2 or iso8859_14.
LEGACY_ENCODINGS = ("cp1252", "cp1258")

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
)

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls other than tab, line feed, vertical tab, form feed, carriage return.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
_BINARY_SAMPLE = 65536
_BINARY_RATIO = 0.02

# A well-formed UTF-8 multi-byte sequence: bytes that fail as UTF-8 but hold one
# are a damaged or mixed UTF-8 file, not a legacy 8-bit one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


def to_text(data: bytes, source: str) -> tuple[str, str]:
    """The text of ``data`` and how it was obtained, or a ReadError."""
    suffix = PurePath(source).suffix.lower()
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return pdf_text(data, source), "pdf"
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        if suffix != ".docx" and not _is_docx(data):
            raise ReadError("unsupported_format", f"{source}: a ZIP archive that is not a .docx")
        return docx_text(data, source), "docx"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError("unsupported_format", f"{source}: {what}, not a supported format")
    html = suffix in HTML_SUFFIXES or _HTML_START.match(data[:1024].decode("latin-1")) is not None
    declared = _META_CHARSET.search(data[:4096]) if html else None
    text, encoding = decode_text(data, source, declared.group(1).decode("ascii") if declared else None)
    if html or _HTML_START.match(text[:1024]):  # UTF-16 HTML shows its prologue only once decoded
        return html_text(text), f"html:{encoding}"
    return text, encoding


# -- plain text ---------------------------------------------------------------------------------

def decode_text(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes: BOM, else UTF-16 without BOM, else UTF-8, else the charset an HTML page
    ``declared``, else a legacy encoding (unless the bytes hold valid UTF-8 too: a damaged file)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, source), codec
    codec = _utf16_without_bom(data)
    if codec:
        return _strict(data, codec, source), codec
    sample = data[:_BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) * _BINARY_RATIO:
        raise ReadError("unsupported_format", f"{source}: {controls} control or NUL bytes in its first "
                                              f"{len(sample)} bytes, looks binary")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    if declared:
        decoded = _decode_declared(data, declared)
        if decoded is not None:
            return decoded
    where = f"invalid UTF-8 at byte {utf8_error.start}: {utf8_error.reason}"
    if _UTF8_MULTIBYTE.search(data):
        raise ReadError("decode_error", f"{source}: {where}, while other bytes are valid UTF-8 "
                                        "(a damaged file, or mixed encodings)") from utf8_error
    from charset_normalizer import from_bytes
    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise ReadError("decode_error", f"{source}: {where}, and not readable as any of "
                                        f"{', '.join(LEGACY_ENCODINGS)}") from utf8_error
    codec = codecs.lookup(best.encoding).name
    return _strict(data, codec, source), codec


def _strict(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise ReadError("decode_error", f"{source}: invalid {codec} at byte {e.start}: {e.reason}") from e


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs fill every other byte, as in Latin-script UTF-16 text."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _decode_declared(data: bytes, declared: str) -> tuple[str, str] | None:
    """Decode with the charset an HTML page declares; None when unknown to Python or wrong for these bytes."""
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


# -- HTML ---------------------------------------------------------------------------------------

_DROPPED_TAGS = {"head", "script", "style", "noscript", "template", "nav", "header", "footer",
                 "iframe", "object", "embed", "svg", "canvas"}
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
               "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5",
               "h6", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tr", "ul"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # HTML white space; a no-break space stays


def html_text(markup: str) -> str:
    """The visible text of an HTML page: one line per block, table cells joined with `` | ``."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(markup, "html.parser")
    pieces: list[str] = []
    cells: list[int] = []  # cells seen in each open table row
    pre = 0  # open <pre> elements
    # One walk with an explicit stack: deep nesting neither recurses nor costs more than once per node.
    children, closing = [iter(soup.contents)], [None]
    while children:
        node = next(children[-1], None)
        if node is None:
            children.pop()
            tag = closing.pop()
            if tag is None:
                continue
            if tag.name in _BLOCK_TAGS:
                pieces.append("\n")
            if tag.name == "tr":
                cells.pop()
            pre -= tag.name == "pre"
        elif isinstance(node, Tag):
            if node.name in _DROPPED_TAGS or node.has_attr("hidden"):
                continue
            if node.name in _BLOCK_TAGS or node.name == "br":
                pieces.append("\n")
            elif node.name in ("td", "th") and cells:
                if cells[-1]:
                    pieces.append(" | ")
                cells[-1] += 1
            if node.name == "tr":
                cells.append(0)
            pre += node.name == "pre"
            children.append(iter(node.contents))
            closing.append(node)
        elif type(node) is NavigableString:  # not a comment, doctype, CDATA or processing instruction
            pieces.append(str(node) if pre else _HTML_SPACE.sub(" ", node))
    lines = (_HTML_SPACE.sub(" ", line).strip(" ") for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line.strip())


# -- .docx --------------------------------------------------------------------------------------

def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def docx_text(data: bytes, source: str) -> str:
    """Paragraphs and table rows of a .docx body in document order, one line each."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError  # python-docx parses its parts with lxml

    try:
        document = docx.Document(io.BytesIO(data))
        lines = [line for block in document.iter_inner_content() for line in _docx_lines(block)]
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, KeyError, ValueError, IndexError) as e:
        raise ReadError("unreadable", f"{source}: not a readable .docx ({type(e).__name__}: {e})") from e
    return "\n".join(lines)


def _docx_lines(block) -> list[str]:
    from docx.table import Table
    if not isinstance(block, Table):
        return [block.text]
    rows = []
    for row in block.rows:
        cells, seen = [], None
        for cell in row.cells:
            if cell._tc is not seen:  # a merged cell is listed once per grid column it spans
                lines = [line for b in cell.iter_inner_content() for line in _docx_lines(b)]
                cells.append(" ".join(lines).replace("\n", " ").strip())
                seen = cell._tc
        rows.append(" | ".join(cells))
    return rows


# -- PDF ----------------------------------------------------------------------------------------

def pdf_text(data: bytes, source: str) -> str:
    """The text layer of a PDF, pages separated by a form feed line."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # repairs of sloppy files are not the reader's news
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError as e:
                raise ReadError("unreadable", f"{source}: encrypted PDF that needs {e} to open") from e
            if not opened:
                raise ReadError("unreadable", f"{source}: encrypted PDF, a password is needed to read it")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, zlib.error, RecursionError) as e:
        raise ReadError("unreadable", f"{source}: not a readable PDF ({type(e).__name__}: {e})") from e
    if not any(p.strip() for p in pages):
        pages_ = f"{len(pages)} page" + ("s" if len(pages) != 1 else "")
        raise ReadError("unsupported_format", f"{source}: PDF without a text layer ({pages_} of images "
                                              "or blank): it needs OCR first")
    return "\n\f\n".join(pages)
