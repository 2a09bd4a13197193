"""Text normalisation shared by every reader: width folding and line-end cleanup, nothing else.

All spans downstream point into the normalised text, so this must stay cheap and predictable.
"""

from __future__ import annotations

import unicodedata

# zero-width and other invisible characters that only get in the way of matching
_DROP = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"), None)


def normalize(text: str) -> str:
    """NFKC width folding ('，'->',', '（'->'(', '２'->'2', NBSP->space), '\\r\\n'/'\\r'->'\\n', NUL and zero-width chars dropped.

    No other rewriting: traditional characters, '。' and '、' are left as they are.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_DROP)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text
