"""Plain-text reader: decode bytes whatever the encoding (BOM, UTF-8, GB18030, best guess) or refuse binary data."""

from __future__ import annotations

import codecs
import re

from yearwise.ingest.normalize import normalize


class Unreadable(Exception):
    """Raised by a reader with a short human cause; `ingest.readers.read` turns it into an IngestError."""


_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, LF, VT, FF, CR, plus DEL: real text has (almost) none of these
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _texty(text: str) -> bool:
    """True when decoded text has (almost) no control characters or replacement chars."""
    if not text:
        return True
    bad = len(_CONTROL.findall(text)) + text.count("\ufffd")
    return bad <= max(2, len(text) // 1000)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows its NULs in the high byte of ASCII chars, all at one parity."""
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if len(data) % 2 or even + odd < 2:
        return None
    for codec, ok in (("utf-16-le", odd > 4 * even), ("utf-16-be", even > 4 * odd)):
        if ok:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _texty(text):
                return text
    return None


def _uncommon_share(text: str) -> float:
    """Share of CJK characters outside GB2312: high when Big5 bytes were misread as GB18030."""
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    rare = 0
    for c in cjk:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(cjk)


def _big5_or(data: bytes, gb_text: str) -> str:
    """Every Big5 byte pair is also valid GB18030; let charset-normalizer choose when the GB reading looks odd."""
    try:
        big5 = data.decode("cp950")
    except UnicodeDecodeError:
        return gb_text
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "cp950"]).best()
    return big5 if best is not None and best.encoding in ("big5", "cp950") else gb_text


def decode_bytes(data: bytes) -> str:
    """Decode text bytes: BOM first, then strict UTF-8, strict GB18030 (or Big5 when that reads better),
    then charset-normalizer's guess.

    Raises Unreadable('not a text file: binary data') for NUL-laden or undecodable bytes.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise Unreadable(f"not a text file: invalid {codec} after its byte-order mark") from exc
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise Unreadable("not a text file: binary data")
        return text
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _texty(text):
            raise Unreadable("not a text file: binary data")
        if codec == "gb18030" and _uncommon_share(text) > 0.1:
            text = _big5_or(data, text)
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("not a text file: binary data")
    text = str(best)
    if not _texty(text):
        raise Unreadable("not a text file: binary data")
    return text


def read_text(data: bytes) -> str:
    """Decoded and normalised text of a .txt file."""
    text = normalize(decode_bytes(data))
    if not text.strip():
        raise Unreadable("no text in file (only whitespace)")
    return text
