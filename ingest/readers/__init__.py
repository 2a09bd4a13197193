"""Read a report file into a `Document`: sniff what the bytes really are, check the extension agrees, extract text.

Every failure is an `IngestError(path, cause)` with a short human cause; no other exception escapes `read`.
Policy: a file whose content is a different recognised kind than its extension says (HTML named .pdf, a PDF
named .txt, a ZIP that is not a DOCX named .docx ...) is refused, even when we could read that kind, so a
mislabelled download is noticed instead of silently ingested. Plain text named .html is read as HTML.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from io import BytesIO
from pathlib import Path

from yearwise.ingest.model import Document, IngestError
from yearwise.ingest.readers.text import Unreadable

EXTENSIONS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".shtml": "html",
              ".pdf": "pdf", ".docx": "docx"}
# pages saved under a server script's name ('…/t20240819.shtml', 'content.jsp', 'download.php?id=…'): the name
# says which program served them, not what they are, so their bytes decide (HTML, or a PDF/DOCX download)
WEB_PAGES = (".jsp", ".jspx", ".aspx", ".asp", ".php", ".cgi", ".do", ".action", ".xhtml", ".htm", ".shtml")
# what a folder of reports is read for: report formats and saved web pages (labels, code, data files are skipped)
REPORT_SUFFIXES = tuple(EXTENSIONS) + WEB_PAGES
_KIND_NAMES = {"pdf": "a PDF", "docx": "a DOCX document", "html": "HTML", "txt": "plain text",
               "zip": "a ZIP archive (not DOCX)", "ole": "an OLE2 file (legacy .doc/.xls or an encrypted Office file)",
               "binary": "binary data"}
_HTML_MARK = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset", re.I)
_EXPECTED = "expected .txt, .html, .pdf or .docx"

__all__ = ["read", "sniff", "EXTENSIONS", "WEB_PAGES", "REPORT_SUFFIXES"]


def sniff(data: bytes) -> str:
    """What the bytes are: pdf | docx | zip | ole | html | txt | binary (txt/binary decided by a quick look)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except (zipfile.BadZipFile, OSError, ValueError):
            # a broken zip: a truncated DOCX still names word/document.xml in a local file header
            return "docx" if b"word/" in data[:65536] else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    probe = data[:4096]
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        probe = probe.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if _HTML_MARK.search(probe.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]):
        return "html"
    return "txt"


def _extract(kind: str, data: bytes, notes: list) -> tuple[str, int | None, tuple[int, ...], tuple]:
    """(text, pages, page starts, tables) of a file's bytes; what a reader repaired goes into `notes`."""
    if kind == "pdf":
        from yearwise.ingest.readers.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from yearwise.ingest.readers.docx import read_docx

        return _with_tables(read_docx(data))
    if kind == "html":
        from yearwise.ingest.readers.html import read_html

        from yearwise.ingest.table import read_tables

        grids: list = []
        text = read_html(data, notes, grids)
        return text, None, (), tuple(read_tables(grids))
    from yearwise.ingest.readers.text import read_text

    from yearwise.ingest.readers.text_tables import aligned_grids, text_grids
    from yearwise.ingest.table import read_tables

    text = read_text(data, notes)
    grids = (text_grids(text) if "|" in text else []) + aligned_grids(text)
    return text, None, (), tuple(read_tables(grids))


def _with_tables(text: str) -> tuple[str, None, tuple, tuple]:
    """A text document's tables (' | ' rows: TXT tables, HTML <table>, Word tables) in the PDF tables' model."""
    from yearwise.ingest.readers.text_tables import text_grids
    from yearwise.ingest.table import read_tables

    return text, None, (), tuple(read_tables(text_grids(text))) if "|" in text else ()


def readable_path(path) -> str:
    """The path as printable, storable text: GBK bytes in a name (a Chinese Windows zip on a UTF-8 system) are
    decoded as GB18030 instead of kept as surrogates, which no UTF-8 writer accepts."""
    raw = path if isinstance(path, bytes) else os.fsencode(os.fspath(path))
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


_HEAD = 65536  # bytes read before the size is judged: enough to tell a web page from a PDF


def _too_big(kind: str | None, by_bytes: bool, head: bytes, size: int) -> str | None:
    """The refusal of a text or HTML file larger than its limit allows, judged from its size and first bytes; the
    readers apply the same limits to what they decode (ingest/limits.py)."""
    from yearwise.ingest.limits import limits

    if by_bytes:  # a web page's name: read as HTML unless the bytes are a PDF or a DOCX
        kind = "html" if sniff(head) in ("html", "txt") else None
    lim = limits()
    if kind == "txt" and size > 4 * lim.text_chars:  # a character is at most 4 bytes: this is more text than the limit
        return lim.refusal("text_chars", f"{size:,} bytes of text")
    if kind == "html" and size > lim.html_bytes:
        return lim.refusal("html_bytes", f"HTML of {size:,} bytes")
    return None


def read(path: str | Path) -> Document:
    """Read a .txt/.html/.pdf/.docx file into a Document; raise IngestError(str(path), cause) on any failure."""
    source = readable_path(path)
    p = Path(os.fsdecode(path)) if isinstance(path, bytes) else Path(path)
    ext = p.suffix.lower()
    kind = EXTENSIONS.get(ext)
    by_bytes = ext in WEB_PAGES or not ext
    if kind is None and not by_bytes:
        raise IngestError(source, f"unsupported file type {ext}; {_EXPECTED}")
    try:
        with open(p, "rb") as f:
            head = f.read(_HEAD)
            too_big = _too_big(kind, by_bytes, head, os.fstat(f.fileno()).st_size)
            if too_big:  # refused from its size, before the rest of a 400 MB file is read into memory
                raise IngestError(source, too_big)
            data = head + f.read()
    except OSError as exc:
        raise IngestError(source, f"cannot read file: {exc.strerror or exc}") from None
    if not data:
        raise IngestError(source, "empty file")
    real = sniff(data)
    if by_bytes:  # a web page's name or no name at all: read what the bytes are
        if real in ("pdf", "docx", "html") or (ext and real == "txt"):
            kind = "html" if real == "txt" else real
        elif not ext:
            raise IngestError(source, f"unsupported file type (no extension): {_KIND_NAMES[real]}; {_EXPECTED}")
        else:
            raise IngestError(source, f"named {ext} but is {_KIND_NAMES[real]}")
    elif real != kind and not (kind == "html" and real == "txt"):
        if real == "txt" and kind in ("pdf", "docx"):
            from yearwise.ingest.readers.text import decode_bytes

            try:
                decode_bytes(data)
            except Unreadable:
                real = "binary"
        raise IngestError(source, f"named {ext} but is {_KIND_NAMES[real]}")
    notes: list[str] = []
    try:
        text, pages, starts, tables = _extract(kind, data, notes)
    except Unreadable as exc:
        raise IngestError(source, str(exc)) from None
    except Exception as exc:  # a reader bug or library surprise must still surface as one line naming the file
        cause = f"{type(exc).__name__}: {exc}".splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise IngestError(source, f"cannot read {kind.upper()}: {cause}") from exc
    return Document(source=source, sha256=hashlib.sha256(data).hexdigest(), text=text, format=kind,
                    pages=pages, page_starts=starts, tables=tables, warnings=tuple(notes))
