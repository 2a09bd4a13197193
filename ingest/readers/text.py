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


class _TooDamaged(Exception):
    """More undecodable bytes than a damaged text file has: the decode is abandoned (binary data)."""


def _damage_allowed(size: int) -> int:
    """How many undecodable bytes a text file of `size` bytes may have and still be read: a few, or 1 in 500."""
    return max(16, size // 500)


def _decode_counting(data: bytes, codec: str, allowed: int) -> tuple[str, list[tuple[int, int]]]:
    """`data` decoded with each undecodable run replaced by U+FFFD; the (start, end) byte runs replaced.
    Raises _TooDamaged as soon as more than `allowed` bytes are bad, so binary data costs little."""
    bad: list[tuple[int, int]] = []
    count = 0

    def handler(exc: UnicodeError) -> tuple[str, int]:
        nonlocal count
        assert isinstance(exc, UnicodeDecodeError)  # registered for one decode call only
        count += exc.end - exc.start
        if count > allowed:
            raise _TooDamaged
        bad.append((exc.start, exc.end))
        return "\ufffd", exc.end

    name = f"yearwise-count-{id(handler)}"
    codecs.register_error(name, handler)
    try:
        return data.decode(codec, errors=name), bad
    finally:
        codecs.register_error(name, _strict)  # the name is never used again; drop the closure's data


def _strict(exc):
    raise exc


def _at(data: bytes, i: int) -> str:
    """'byte 1024 (line 12)': where byte i of a text file is."""
    return f"byte {i} (line {data.count(NEWLINE, 0, i) + 1})"


NEWLINE = b"\n"


def _where(data: bytes, runs: list[tuple[int, int]], what: str) -> str:
    """'3 undecodable bytes replaced at byte 1024 (line 12), …': how many and where, for the report's flag."""
    n = sum(end - start for start, end in runs)
    places = ", ".join(_at(data, start) for start, _ in runs[:5])
    more = f" and {len(runs) - 5} more places" if len(runs) > 5 else ""
    return f"{n} {what} byte{'s' if n != 1 else ''} replaced at {places}{more}"


def _damaged(data: bytes, codecs_: tuple[str, ...], notes: list | None) -> str | None:
    """Text with a few undecodable bytes (a 0xFF, a flipped bit, GBK bytes in UTF-8): the codec of the fewest
    bad bytes, each bad run replaced, and a note saying how many and where; None when none reads so."""
    allowed = _damage_allowed(len(data))
    best = None
    for codec in codecs_:
        try:
            text, runs = _decode_counting(data, codec, allowed)
        except _TooDamaged:
            continue
        n = sum(end - start for start, end in runs)
        if (best is None or n < best[0]) and _texty(text.replace("\ufffd", "")):
            best = (n, codec, text, runs)
    if best is None:
        return None
    n, codec, text, runs = best
    if notes is not None:
        notes.append(f"damaged text ({codec}): " + _where(data, runs, "undecodable"))
    return text


def decode_bytes(data: bytes, notes: list | None = None) -> str:
    """Decode text bytes: BOM first, then strict UTF-8, strict GB18030 (or Big5 when that reads better),
    then the same with a few undecodable bytes replaced, then charset-normalizer's guess.

    A repair (bytes replaced, stray NULs dropped) is described in `notes`, so the report is flagged.
    Raises Unreadable('not a text file: binary data') for NUL-laden or undecodable bytes.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                text = _damaged(data[len(bom):], (codec,), notes)
                if text is None:
                    raise Unreadable(f"not a text file: invalid {codec} after its byte-order mark") from exc
                return text
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
        nuls = data.count(b"\x00")
        if nuls > _damage_allowed(len(data)) // 4:
            raise Unreadable("not a text file: binary data")
        # a few stray NULs in a text file: drop them and say where they were
        at = [i for i in range(len(data)) if data[i] == 0][:6]
        if notes is not None:
            notes.append(f"damaged text: {nuls} NUL byte{'s' if nuls != 1 else ''} dropped at "
                         + ", ".join(_at(data, i) for i in at[:5])
                         + (" …" if nuls > 5 else ""))
        data = data.replace(b"\x00", b"")
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
    text = _damaged(data, ("utf-8", "gb18030"), notes)
    if text is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("not a text file: binary data")
    text = str(best)
    if not _texty(text):
        raise Unreadable("not a text file: binary data")
    return text


def read_text(data: bytes, notes: list | None = None) -> str:
    """Decoded and normalised text of a .txt file; repairs are described in `notes`."""
    from yearwise.ingest.limits import limits

    lim = limits()
    if len(data) > 4 * lim.text_chars:  # no encoding packs more than one character in less than a byte
        raise Unreadable(lim.refusal("text_chars", f"{len(data):,} bytes of text"))
    return checked_text(decode_bytes(data, notes), "no text in file (only whitespace)")


def checked_text(text: str, empty: str) -> str:
    """`text` normalised; refused when it is longer than the text limit, or blank (`empty` says so)."""
    from yearwise.ingest.limits import limits

    lim = limits()
    text = normalize(text)
    if len(text) > lim.text_chars:
        raise Unreadable(lim.refusal("text_chars", f"{len(text):,} characters of text"))
    if not text.strip():
        raise Unreadable(empty)
    return text
