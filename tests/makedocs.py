"""Build .docx and PDF inputs for the tests, in memory."""
from __future__ import annotations

import io

import docx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None, after: list[str] = ()) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                t.cell(i, j).text = value
    for p in after:
        d.add_paragraph(p)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _name(n: str) -> NameObject:
    return NameObject(n)


def _stream(data: bytes, **entries) -> DecodedStreamObject:
    s = DecodedStreamObject()
    s.set_data(data)
    for k, v in entries.items():
        s[_name("/" + k)] = v
    return s


def make_pdf(lines: list[str] = (), image_only: bool = False, password: str | None = None) -> bytes:
    """One A4 page: ``lines`` in Helvetica (WinAnsi), or only a small grey image; optionally encrypted."""
    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    if image_only:
        image = _stream(bytes([0, 128, 128, 255]), Type=_name("/XObject"), Subtype=_name("/Image"),
                        Width=NumberObject(2), Height=NumberObject(2), ColorSpace=_name("/DeviceGray"),
                        BitsPerComponent=NumberObject(8))
        page[_name("/Resources")] = DictionaryObject({_name("/XObject"): DictionaryObject(
            {_name("/Im0"): w._add_object(image)})})
        ops = [b"q 200 0 0 200 100 500 cm /Im0 Do Q"]
    else:
        font = DictionaryObject({_name("/Type"): _name("/Font"), _name("/Subtype"): _name("/Type1"),
                                 _name("/BaseFont"): _name("/Helvetica"),
                                 _name("/Encoding"): _name("/WinAnsiEncoding")})
        page[_name("/Resources")] = DictionaryObject({_name("/Font"): DictionaryObject(
            {_name("/F1"): w._add_object(font)})})
        ops = [b"BT /F1 12 Tf 72 770 Td 14 TL"]
        for line in lines:
            esc = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            ops.append(b"(" + esc + b") Tj T*")
        ops.append(b"ET")
    page[_name("/Contents")] = w._add_object(_stream(b"\n".join(ops)))
    if password is not None:
        w.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()
