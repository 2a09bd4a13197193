"""PDF pages as grey PNG files for the review page, rendered by pypdfium2 and encoded with zlib (no Pillow)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

# 1.5 px per PDF point: small print (6-7 pt table cells) stays readable, a page is ~60-120 KB
SCALE = 1.5


@dataclass(frozen=True, slots=True)
class PageImage:
    """One rendered page: its file name in the site and the page size in PDF points (boxes are in points)."""

    number: int  # 1-based
    file: str
    width: float
    height: float
    pixels: tuple[int, int]


def png_gray(width: int, height: int, stride: int, data: bytes | memoryview) -> bytes:
    """An 8-bit greyscale PNG from row-major pixel bytes (`stride` bytes per row)."""
    raw = bytearray()
    mv = memoryview(data)
    for y in range(height):
        raw.append(0)  # filter: none (zlib does the work on text pages: mostly white rows)
        raw += mv[y * stride: y * stride + width]

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 6))
            + chunk(b"IEND", b""))


def render_pages(pdf_path: str | Path, out_dir: Path, prefix: str, scale: float = SCALE) -> list[PageImage]:
    """Render every page of `pdf_path` to out_dir/<prefix>-p<N>.png; page sizes in points for the boxes."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out_dir.mkdir(parents=True, exist_ok=True)
    pages: list[PageImage] = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                width, height = page.get_size()
                bitmap = page.render(scale=scale, grayscale=True, force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
                try:
                    png = png_gray(bitmap.width, bitmap.height, bitmap.stride, bitmap.buffer)
                    size = (bitmap.width, bitmap.height)
                finally:
                    bitmap.close()
            finally:
                page.close()
            name = f"{prefix}-p{i + 1}.png"
            (out_dir / name).write_bytes(png)
            pages.append(PageImage(i + 1, name, float(width), float(height), size))
    finally:
        pdf.close()
    return pages
