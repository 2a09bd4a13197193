"""What the classify and name stages read besides the number itself: the report's setting, fixed for the
whole walk, and the walk's memory of earlier numbers, a frozen value each stage returns anew."""

from __future__ import annotations

from dataclasses import dataclass, replace

from yearwise.ingest.catalog import Catalog, Indicator
from yearwise.ingest.families import FamilyNaming
from yearwise.ingest.outline import Outline
from yearwise.ingest.view import View


@dataclass(frozen=True, slots=True)
class Setting:
    """What a report fixes for all its numbers: fiscal year, kind and its family's naming, catalog, sections."""

    year: int | None
    doc_kind: str
    catalog: Catalog
    outline: Outline
    view: View
    family: FamilyNaming = FamilyNaming()  # how the report's family changes naming (families.toml)


@dataclass(frozen=True, slots=True)
class Memory:
    """What the walk remembers between numbers: this sentence's subject, the last level named, the last list."""

    subject: Indicator | None = None  # first catalog indicator of the sentence
    family: str | None = None  # budget | budget.initial | spending, from the subject
    both: tuple[tuple[str, str], ...] = ()  # (code, name) of the two things a '均为' sentence is about
    against_budget: bool = False  # this sentence's changes are stated against the budget (比年初预算增加…)
    last_level: str | None = None  # indicator code of the last level fact
    last_level_name: str = ""
    last_level_unit: str = "万元"
    last_money: tuple[str, str] | None = None  # (code, name) of the last money level: what 大于预算数 is about
    last_level_words: str = ""  # the catalog words that named the last level (folded)
    listed: tuple[str, ...] = ()  # codes of the last '收、支…各' list, in order

    def new_sentence(self) -> Memory:
        """A sentence starts with no subject of its own; the last level and the last list carry on."""
        if self.subject is None and self.family is None and not self.both and not self.against_budget:
            return self
        return replace(self, subject=None, family=None, both=(), against_budget=False)
