"""DOCX reader (python-docx): paragraphs and tables in document order, one table row per line."""

from __future__ import annotations

import io

from yearwise.ingest.readers.text import Unreadable, checked_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _row_cells(row) -> list[str]:
    """Cell texts of a table row, horizontally merged cells (the same <w:tc>) kept once."""
    seen: set[int] = set()
    cells = []
    for cell in row.cells:
        key = id(cell._tc)
        if key in seen:
            continue
        seen.add(key)
        text = " ".join(cell.text.split())
        if text:
            cells.append(text)
    return cells


def _blocks(parent, doc, out: list[str]) -> None:
    """Walk body-level elements in order: <w:p> as a line, <w:tbl> as rows, content controls recursed."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            out.append(Paragraph(child, doc).text)
        elif tag == f"{_W}tbl":
            # vertically merged cells repeat the same text on every row they span; keep it per row
            for row in Table(child, doc).rows:
                cells = _row_cells(row)
                if cells:
                    out.append(" | ".join(cells))
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _blocks(content, doc, out)


def _check_part_sizes(data: bytes) -> None:
    """Refuse a package with a part larger than the limit before anything is inflated (a zip bomb: 1 MB of zip
    holding a 200 MB document.xml). Python's zipfile never inflates a member past its declared size."""
    import zipfile

    from yearwise.ingest.limits import limits

    lim = limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx reports a broken package
    for part in parts:
        if part.file_size > lim.docx_part_bytes:
            raise Unreadable(lim.refusal("docx_part_bytes", f"DOCX part {part.filename} inflates to "
                                                            f"{part.file_size:,} bytes"))
    total = sum(part.file_size for part in parts)
    if total > 4 * lim.docx_part_bytes:
        raise Unreadable(lim.refusal("docx_part_bytes", f"DOCX parts inflate to {total:,} bytes in all (4 × limit)"))


def read_docx(data: bytes) -> str:
    """Normalised text of a DOCX file; Unreadable when the package is broken."""
    import docx

    _check_part_sizes(data)
    try:
        doc = docx.Document(io.BytesIO(data))
        out: list[str] = []
        _blocks(doc.element.body, doc, out)
    except Unreadable:
        raise
    except Exception as exc:  # python-docx raises KeyError, BadZipFile, XMLSyntaxError, PackageNotFoundError ...
        raise Unreadable(f"DOCX cannot be opened: {type(exc).__name__}: {exc}".splitlines()[0][:200]) from exc
    return checked_text("\n".join(line.strip() for line in out if line.strip()), "no text in DOCX document")
