"""Bounds on the work one file may cause, and on the values a fact may hold; defaults a user can raise.

A hostile or broken file (a DOCX whose 1 MB zip holds a 200 MB document.xml, HTML nested 100,000 levels
deep, 200 MB of text) must cost seconds, not minutes and gigabytes: each bound is checked before the work it
guards and refused with one line that names the limit and the variable that raises it. Real reports are far
inside every default (the largest corpus text is under 0.2 MB, its deepest HTML under 40 levels).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal

# a fact's value is stored as DECIMAL(VALUE_DIGITS, VALUE_SCALE): 14 integer digits (10^14 万元 is 10^18 元, far
# beyond any budget; the canned queries' pick order relies on |value| < 10^14) and 12 decimals (0.0000001万元, or
# 0.01元 = 0.000001万元, keep every digit written)
VALUE_DIGITS = 26
VALUE_SCALE = 12
_VALUE_MAX = Decimal(10) ** (VALUE_DIGITS - VALUE_SCALE)


@dataclass(frozen=True)
class Limits:
    """The bounds in force; `Limits.from_env()` reads the YEARWISE_MAX_* variables over the defaults."""

    docx_part_bytes: int = 64 * 2**20  # uncompressed size of any one part of a DOCX package
    html_bytes: int = 16 * 2**20  # size of an HTML file
    html_depth: int = 512  # element nesting depth of an HTML page
    text_chars: int = 8_000_000  # characters of text a document may give (any format)
    facts_per_document: int = 200_000
    # figures (runs of digits) in a document's text, counted before the walk that turns them into facts: the walk
    # costs about a third of a millisecond a figure, so 8 MB of text dense with figures would cost minutes before
    # the facts limit could refuse it; the largest real report of the corpus prints about 650
    figures_per_document: int = 50_000

    ENV = {"docx_part_bytes": "YEARWISE_MAX_DOCX_PART_BYTES", "html_bytes": "YEARWISE_MAX_HTML_BYTES",
           "html_depth": "YEARWISE_MAX_HTML_DEPTH", "text_chars": "YEARWISE_MAX_TEXT_CHARS",
           "facts_per_document": "YEARWISE_MAX_FACTS", "figures_per_document": "YEARWISE_MAX_FIGURES"}

    @classmethod
    def from_env(cls) -> "Limits":
        """The defaults, each replaced by its environment variable when that holds a positive integer."""
        values = {}
        for name, var in cls.ENV.items():
            raw = os.environ.get(var, "").strip().replace("_", "")
            if raw.isdigit() and int(raw) > 0:
                values[name] = int(raw)
        return cls(**values)

    def refusal(self, name: str, what: str) -> str:
        """The one-line cause for exceeding limit `name`: what was found, the limit, how to raise it."""
        return f"{what}, over the limit of {getattr(self, name):,} ({self.ENV[name]} raises it)"


def limits() -> Limits:
    """The limits in force now (environment read on each call, so a test or a user can change them)."""
    return Limits.from_env()


def value_fits(value: Decimal) -> bool:
    """True when `value` can be stored exactly: under 10^14 in size, at most 12 decimals."""
    if not value.is_finite():
        return False
    if abs(value) >= _VALUE_MAX:
        return False
    exponent = value.normalize().as_tuple().exponent
    return not isinstance(exponent, int) or exponent >= -VALUE_SCALE


_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def sentence_at(text: str, start: int, end: int, width: int = 60) -> str:
    """The sentence around text[start:end], cut to about `width` characters each side, on one line."""
    lo = max(0, start - width)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    lo = ends[-1] if ends else lo
    m = _SENTENCE_END.search(text, end, min(len(text), end + width))
    hi = m.end() if m else min(len(text), end + width)
    return " ".join(text[lo:hi].split())


_FIGURE = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def bound_figures(document) -> None:
    """IngestError when the document's text holds more figures than a document may (counted up to the limit, before
    any extraction work): a hostile text dense with numbers is refused in a second, not walked for minutes."""
    from yearwise.ingest.model import IngestError

    lim = limits()
    cap = lim.figures_per_document
    for n, _ in enumerate(_FIGURE.finditer(document.text), 1):
        if n > cap:
            raise IngestError(document.source, lim.refusal("figures_per_document", f"more than {cap:,} figures"))


def bound_report(report):
    """The report with facts whose value cannot be stored dropped, each named in a warning; IngestError when
    it has more facts than a document may have. The report's warnings start with its document's."""
    from yearwise.ingest.model import IngestError

    lim = limits()
    if len(report.facts) > lim.facts_per_document:
        raise IngestError(report.source, lim.refusal("facts_per_document", f"{len(report.facts):,} facts"))
    warnings = list(report.document.warnings) + [w for w in report.warnings if w not in report.document.warnings]
    kept = []
    for f in report.facts:
        if value_fits(f.value):
            kept.append(f)
        else:
            written = f"{f.raw_value or format(f.value, 'f')}{f.raw_unit}"
            normalised = f"{format(f.value, 'f')}{f.unit}"
            number = written if written == normalised else f"{written} ({normalised})"
            warnings.append(f"value {number} is out of the storable "
                            f"range (under 10^{VALUE_DIGITS - VALUE_SCALE}, at most {VALUE_SCALE} decimals), not "
                            f"loaded: 「{sentence_at(report.document.text, f.start, f.end)}」")
    report.facts = kept
    report.warnings = warnings
    return report
