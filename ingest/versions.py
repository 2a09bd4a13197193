"""What a document says about which version it is: the date it states, and whether it calls itself a correction.

Two files for the same department, year and kind that restate each other's figures are versions of one
report; the warehouse makes the later one current by what the documents say (this module), never by the
order they were ingested in. A document that says neither leaves the choice open (both stay current and the
conflict is a failed check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# a date standing on a line of its own near the start or end (the cover's 2018 年 2 月 24 日, a signature date);
# a date inside a sentence (自2018年1月1日起施行) is not the document's
_DATE_LINE = re.compile(r"^[\s(（]*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[\s)）]*$", re.M)
# 更正 / 修订 / 更新 in the title: this document replaces an earlier publication
_CORRECTION = re.compile(r"更正|修订版|修正版|更新版|重新公开|（修订）|\(修订\)")
EDGE = 1500  # characters at the start and at the end where a document states its date and what it is


@dataclass(frozen=True, slots=True)
class VersionEvidence:
    """The stated date (None when the text states none) and whether the document calls itself a correction."""

    stated_date: date | None
    correction: bool


def evidence(text: str) -> VersionEvidence:
    """The version evidence of a document's text."""
    head, tail = text[:EDGE], text[-EDGE:] if len(text) > EDGE else ""
    found = None
    for part in (head, tail):
        for m in _DATE_LINE.finditer(part):
            try:
                d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            found = d if found is None or d > found else found
    return VersionEvidence(found, bool(_CORRECTION.search(text[:300])))


def later(a: VersionEvidence, b: VersionEvidence) -> int:
    """+1 when `a` is the later version, -1 when `b` is, 0 when the documents do not say.

    By the stated date first, then by which one calls itself a correction (更正/修订)."""
    if a.stated_date and b.stated_date and a.stated_date != b.stated_date:
        return 1 if a.stated_date > b.stated_date else -1
    if a.correction != b.correction:
        return 1 if a.correction else -1
    return 0
