"""Consistency checks over the warehouse: what the reports state against what their other figures give.

The rules are data (`ingest/data/checks.toml`, loaded by yearwise.ingest.checks); this module evaluates them
over the facts of one or more departments and writes one row per check into `checks`, with the facts each
check involved in `check_fact`. Kinds (the `category` column):

- report: identities (total = basic + project, 三公 = its three parts, revenue = its sources), stated shares,
  stated rates and changes against the levels of the same sentence, execution rate, one figure stated twice;
- cross_year: a stated change or rate against the prior year's own report, a restated prior-year figure against
  that report (a restatement on a comparable basis, 同口径/可比, passes as such), budget against final accounts;
- version: what a superseding version changed, and two current versions that disagree (a conflict: fail);
- plausibility: a value outside what the indicator allows, a total smaller than its own part, a tenfold jump.

Tolerance follows the printed precision: every figure is exact within half a unit of its last printed digit,
and a computed value is given as the interval its rounded inputs allow.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from bisect import bisect_left, bisect_right
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Sequence

from yearwise.ingest.checks import CheckRules, half_unit, load_checks
from yearwise.ingest.model import Report

STATUSES = ("pass", "fail", "doubtful", "cannot")
HUNDRED = Decimal(100)
# a change, its rate and the levels they compare are one statement when this close (characters)
NEAR_CHANGE = 60
NEAR_LEVEL = 160


def _plain(value: Decimal) -> Decimal:
    """A stored value without the storage scale's trailing zeros (16.070000000000 -> 16.07, 30.000000000000 -> 30),
    so messages show the figure as the report printed it."""
    if value is None:
        return value
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True, slots=True)
class FactRow:
    """The fields of one fact a check needs."""

    fact_id: int
    report_id: int
    department_id: int  # _FACT_SQL keeps only reports with a department and a fiscal year
    department: str | None
    fiscal_year: int
    doc_kind: str
    status: str
    source: str
    year: int | None
    indicator: str
    measure: str
    value: Decimal
    unit: str | None
    approximate: bool
    compared_to: int | None
    raw_value: str | None
    quote: str | None
    start: int
    end: int
    rule: str | None
    restated: bool = False  # its sentence names a comparable-basis restatement (同口径, 可比, 口径)

    @property
    def half(self) -> Decimal:
        return _half(self.raw_value, self.value, self.unit == "万元")


@lru_cache(maxsize=1 << 16)
def _half(raw_value: str | None, value: Decimal, cents: bool) -> Decimal:
    """half_unit, remembered: the checks ask it of the same figures many times over (a third of their time)."""
    return half_unit(raw_value, value, cents=cents)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One evaluated check: what was stated, what the other figures give, and the facts involved."""

    check: str
    category: str  # report | cross_year | version | plausibility | table
    status: str  # pass | fail | doubtful | cannot
    department_id: int | None
    department: str | None
    year: int | None
    doc_kind: str | None
    indicator: str | None
    stated: Decimal | None
    expected: Decimal | None
    difference: Decimal | None
    tolerance: Decimal | None
    message: str
    report_id: int | None
    facts: tuple[int, ...] = ()
    blamed: int = 1  # the first `blamed` facts are the stated figures the check doubts (marked in `facts`)
    values: tuple[Decimal, ...] = ()  # the values of `facts`, in order (the same arithmetic stated twice merges)
    table: str | None = None  # table arithmetic: the table, the row's 科目编码 and the column it sums
    row_code: str | None = None
    column: str | None = None


@dataclass
class _Group:
    """The current reports of one department, fiscal year and kind (a 文件 and its 表格 are one group)."""

    department_id: int
    department: str | None
    year: int
    doc_kind: str
    facts: list[FactRow] = field(default_factory=list)
    # indicator -> its facts, built when first asked
    _by_code: dict[str, list[FactRow]] | None = field(default=None, repr=False)
    _near: "_Near | None" = field(default=None, repr=False)
    # (indicator, year) -> its levels and the value chosen among them: the checks ask the same questions many times
    _levels: dict[tuple[str, int], list[FactRow]] = field(default_factory=dict, repr=False)
    _chosen: dict[tuple[str, int], FactRow | None] = field(default_factory=dict, repr=False)

    def levels(self, indicator: str, year: int | None = None) -> list[FactRow]:
        """Exact FY department levels of `indicator` for `year` (default the group's year)."""
        y = self.year if year is None else year
        got = self._levels.get((indicator, y))
        if got is not None:
            return list(got)
        if self._by_code is None:  # the facts are complete once checks run: index them once, not per question
            self._by_code = defaultdict(list)
            for f in self.facts:
                self._by_code[f.indicator].append(f)
        got = [f for f in self._by_code.get(indicator, ()) if f.measure == "level" and f.year == y
               and not f.approximate and not ambiguous(f)]
        self._levels[(indicator, y)] = got
        return list(got)

    @property
    def near(self) -> "_Near":
        """The group's facts indexed by place, for _nearest."""
        if self._near is None:
            self._near = _Near(self.facts)
        return self._near

    def chosen(self, indicator: str, year: int | None = None) -> FactRow | None:
        """The value the group states most often for `indicator` (ties: the largest); None when unstated."""
        key = (indicator, self.year if year is None else year)
        if key not in self._chosen:
            self._chosen[key] = choose(self.levels(indicator, year))
        return self._chosen[key]


_ORDINAL = re.compile(r"[一二三四五六七八九十]+、")


def ambiguous(f: FactRow) -> bool:
    """A table cell whose quote names two rows (其他收入 八、社会保障和就业支出 754.75: a flattened two-sided table)
    or holds several numbers (.68 2,961.68): which row the value belongs to is our guess, so no check relies on it."""
    q = f.quote or ""
    if _TWO_LABELS.search(q) or len(_ORDINAL.findall(q)) >= 2:
        return True
    return f.rule == "table.cell" and len(_NUMBER.findall(q)) >= 2


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_TWO_LABELS = re.compile(r"[\u4e00-\u9fff]{2,}\s+[一二三四五六七八九十]+、")


def choose(facts: list[FactRow]) -> FactRow | None:
    """The most often stated value (ties: the largest), as its first fact."""
    if not facts:
        return None
    if any(f.value != 0 for f in facts):  # a stated 0 is mostly a row that does not apply (政府性基金 0 万元)
        facts = [f for f in facts if f.value != 0]
    counts = Counter(f.value for f in facts)
    best = max(counts, key=lambda v: (counts[v], v))
    return next(f for f in facts if f.value == best)


# ------------------------------------------------------------------ interval arithmetic on rounded figures

def _bounds(fn: Callable[..., Decimal], facts: list[FactRow]) -> tuple[Decimal, Decimal] | None:
    """min and max of fn over every corner of the facts' rounding intervals (fn is monotone in each)."""
    vals = []
    for signs in itertools.product((-1, 1), repeat=len(facts)):
        try:
            vals.append(fn(*[f.value + s * f.half for f, s in zip(facts, signs)]))
        except (ZeroDivisionError, ArithmeticError):
            return None
    return min(vals), max(vals)


def _judge(stated: FactRow, fn, inputs: list[FactRow]) -> tuple[bool, Decimal, Decimal, Decimal] | None:
    """(passes, expected, difference, tolerance) for `stated` against fn(inputs) with printed precision."""
    try:
        expected = fn(*[f.value for f in inputs])
    except (ZeroDivisionError, ArithmeticError):
        return None
    b = _bounds(fn, inputs)
    if b is None:
        return None
    lo, hi = b
    tol = max(expected - lo, hi - expected) + stated.half
    ok = lo - stated.half <= stated.value <= hi + stated.half
    return ok, _q(expected), _q(stated.value - expected), _q(tol)


def _q(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.000001"))


def _result(check: str, category: str, status: str, g, indicator, stated, expected, difference, tolerance,
            message: str, facts: Iterable[FactRow | None], report_id=None, blamed: int = 1) -> CheckResult:
    rows = [f for f in facts if f is not None]
    involved = tuple(dict.fromkeys(f.fact_id for f in rows))
    blamed_ids = set(f.fact_id for f in rows[:blamed])
    values = {f.fact_id: f.value for f in rows}
    return CheckResult(check, category, status, g.department_id, g.department, g.year, g.doc_kind, indicator,
                       stated, expected, difference, tolerance, message, report_id, involved,
                       sum(1 for i in involved if i in blamed_ids), tuple(values[i] for i in involved))


# ------------------------------------------------------------------ inside one report

def identity_checks(g: _Group, rules: CheckRules) -> list[CheckResult]:
    """Each identity whose whole and at least one required part the group states; stated shares of its parts."""
    out = []
    for rule in rules.identities:
        whole = g.chosen(rule.whole)
        parts = {c: g.chosen(c) for c in rule.parts}
        optional = {c: g.chosen(c) for c in rule.optional}
        present = [f for f in (*parts.values(), *optional.values()) if f is not None]
        if whole is not None and any(parts.values()):
            missing_required = [c for c, f in parts.items() if f is None]
            missing_optional = [c for c, f in optional.items() if f is None]
            judged = _judge(whole, lambda *xs: sum(xs, Decimal(0)), present)
            if judged is not None:
                ok, expected, diff, tol = judged
                names = " + ".join(f.indicator for f in present)
                if ok and not missing_required:
                    status, msg = "pass", f"{rule.what}: {whole.value} = {names}"
                elif ok:
                    status, msg = "cannot", f"{rule.what}: {', '.join(missing_required)} not stated"
                elif diff > 0 and (missing_required or missing_optional):
                    status, msg = "cannot", (f"{rule.what}: parts stated ({names}) fall short by {diff}; an unstated "
                                             f"part ({', '.join(missing_required + missing_optional)}) may make it up")
                else:
                    status, msg = "fail", f"{rule.what}: stated {whole.value}, parts ({names}) give {expected}"
                out.append(_result(rule.name, "report", status, g, rule.whole, whole.value, expected, diff, tol, msg,
                                   [whole, *present]))
        above = [g.chosen(r.whole) for r in rules.identities if rule.whole in (*r.parts, *r.optional)]
        out += _share_checks(g, rule, whole, present, [w for w in above if w is not None])
    return out


def _share_checks(g: _Group, rule, whole: FactRow | None, present: list[FactRow],
                  wholes: Sequence[FactRow] = ()) -> list[CheckResult]:
    """A stated share (占…%) of a part against part / whole: the stated whole (or a whole it is part of, as a
    一般公共预算收入 share of 本年收入合计), else the sum of the parts stated beside the share."""
    out = []
    codes = tuple(dict.fromkeys((*rule.parts, *rule.optional)))  # in the rule's order: messages do not vary by run
    for s in g.facts:
        if s.measure != "share" or s.indicator not in codes or s.year != g.year:
            continue
        level = lambda code: lambda f: f.indicator == code and f.measure == "level" and f.year == g.year  # noqa
        part = _nearest(g.near, s, level(s.indicator), NEAR_CHANGE) or g.chosen(s.indicator)
        if part is None:
            continue
        beside = [p for p in (part, *(_around(g.near, s, level(c), NEAR_LEVEL * 2) for c in codes
                                      if c != s.indicator)) if p is not None]
        tries = [(f"{w.indicator} {w.value}", lambda p, w: p / w * HUNDRED, [part, w])
                 for w in (whole, *wholes) if w is not None]
        if len(beside) > 1:
            tries.append((f"the sum of {', '.join(f.indicator for f in beside)} stated beside it",
                          lambda *xs: xs[0] / sum(xs, Decimal(0)) * HUNDRED, beside))
        best = None
        for label, fn, inputs in tries:
            judged = _judge(s, fn, inputs)
            if judged is not None and (best is None or judged[0] or abs(judged[2]) < abs(best[1][2])):
                best = (label, judged, inputs)
                if judged[0]:
                    break
        if best is None:
            continue
        label, (ok, expected, diff, tol), inputs = best
        status = "pass" if ok else "fail"
        msg = f"share of {s.indicator}: stated {s.value}%, {part.value} / {label} gives {expected}%"
        if not ok and abs(diff) <= tol + 2 * s.half:
            status, msg = "pass", msg + " (within one unit: shares are nudged to add up to 100%)"
        out.append(_result(f"{rule.name}.share", "report", status, g, s.indicator, s.value, expected, diff, tol, msg,
                           [s, *inputs], s.report_id))
    return out


def _around(facts, anchor: FactRow, pred, window: int) -> FactRow | None:
    """The nearest fact matching pred on either side of anchor (same report, within window characters)."""
    return _nearest(facts, anchor, pred, window) or _nearest(facts, anchor, pred, window, after=True)


class _Near:
    """Facts indexed by report and by where each ends and starts, so `_nearest` reads only the facts within its
    window of characters, not every fact of the group (with table cells among them the checks grew with the square
    of a group's facts). Iterates as the list it was built from."""

    def __init__(self, facts):
        self.facts = list(facts)
        by_report = defaultdict(list)
        for n, f in enumerate(self.facts):
            by_report[f.report_id].append((n, f))
        self.ends, self.starts = {}, {}
        for rid, items in by_report.items():
            ends = sorted(items, key=lambda x: (x[1].end, x[0]))
            starts = sorted(items, key=lambda x: (x[1].start, x[0]))
            self.ends[rid] = ([f.end for _, f in ends], ends)
            self.starts[rid] = ([f.start for _, f in starts], starts)

    def __iter__(self):
        return iter(self.facts)

    def within(self, anchor: FactRow, window: int, after: bool) -> list[FactRow]:
        """The facts of anchor's report whose gap to it is in [-2, window], in the list's order."""
        if after:  # gap = f.start - anchor.end
            keys, items = self.starts.get(anchor.report_id, ((), ()))
            lo, hi = anchor.end - 2, anchor.end + window
        else:  # gap = anchor.start - f.end
            keys, items = self.ends.get(anchor.report_id, ((), ()))
            lo, hi = anchor.start - window, anchor.start + 2
        found = items[bisect_left(keys, lo):bisect_right(keys, hi)]
        return [f for _, f in sorted(found, key=lambda x: x[0])]


def _nearest(facts, anchor: FactRow, pred, window: int, after: bool = False) -> FactRow | None:
    """The fact of the same report matching pred that ends nearest before anchor starts (within window)."""
    if isinstance(facts, _Near):
        facts = facts.within(anchor, window, after)
    best = None
    for f in facts:
        if f.report_id != anchor.report_id or f is anchor or not pred(f):
            continue
        gap = (f.start - anchor.end) if after else (anchor.start - f.end)
        if 0 <= gap + 2 <= window + 2 and (best is None or gap < best[0]):
            best = (gap, f)
    return best[1] if best else None


def statement_checks(g: _Group, rules: CheckRules) -> list[CheckResult]:
    """Stated rates and changes against the levels of their own sentence.

    A rate (增长17.31%) is checked against change / (level - change), or (level - prior) / prior when the sentence
    states last year's level; a change (增加3608.98万元) against level - prior when both levels are stated.
    """
    out = []
    facts = _Near(sorted(g.facts, key=lambda f: (f.source, f.start)))
    for r in facts:
        if r.measure not in ("change_rate", "change") or r.year != g.year:
            continue
        if r.compared_to not in (None, g.year - 1) or any(w in (r.quote or "") for w in REASON_WORDS):
            continue  # 主要原因是…压减10%: a rate inside the reason is about the reason's subject
        same = lambda f, m: f.indicator == r.indicator and f.measure == m  # noqa: E731
        change = r if r.measure == "change" else _nearest(facts, r, lambda f: same(f, "change") and f.year == r.year,
                                                          NEAR_CHANGE)
        anchor = change or r
        level = _nearest(facts, anchor, lambda f: same(f, "level") and f.year == r.year, NEAR_LEVEL)
        if level is not None and change is not None and _nearest(
                facts, level, lambda f: same(f, "change") and f.year == r.year, NEAR_LEVEL, after=True) is not change:
            level = None  # not the first change after that level: it belongs to a list of reasons
        prior = _nearest(facts, anchor, lambda f: same(f, "level") and f.year == r.year - 1, NEAR_LEVEL) \
            or _nearest(facts, anchor, lambda f: same(f, "level") and f.year == r.year - 1, NEAR_CHANGE, after=True)
        if r.measure == "change_rate":
            if r.unit not in ("%", None, ""):
                continue
            if level is not None and prior is not None:
                fn, inputs, how = (lambda l, p: (l - p) / p * HUNDRED), [level, prior], "(level - prior) / prior"
            elif level is not None and change is not None:
                fn, inputs, how = (lambda l, c: c / (l - c) * HUNDRED), [level, change], "change / (level - change)"
            else:
                continue
            judged = _judge(r, fn, inputs)
            if judged is None:
                continue
            ok, expected, diff, tol = judged
            status = "pass" if ok else "fail"
            msg = f"{r.indicator}: stated rate {r.value}%, {how} gives {expected}%"
            if not ok and change is not None and level is not None:
                on_level = _judge(r, lambda l, c: c / l * HUNDRED, [level, change])
                if on_level and on_level[0]:
                    msg += " (the stated rate is change / this year's level: computed on the wrong base)"
                elif _truncated(r, expected, tol):
                    status, msg = "doubtful", msg + " (the stated rate is truncated, not rounded)"
            if not ok and any(_says_restated(f.quote, rules) for f in (r, change) if f is not None):
                # 按与上年统计口径一致相比,本年比上年减少161.96万元: the change is on a comparable basis, the level is not
                status, msg = "cannot", msg + "; the change is stated on a restated basis (口径), not against this level"
            out.append(_result("report.stated_rate", "report", status, g, r.indicator, r.value,
                               expected, diff, tol, msg, [r, *inputs], r.report_id))
        elif level is not None and prior is not None and r.unit == level.unit:
            judged = _judge(r, lambda l, p: l - p, [level, prior])
            if judged is None:
                continue
            ok, expected, diff, tol = judged
            msg = f"{r.indicator}: stated change {r.value}, level {level.value} - stated prior {prior.value} = {expected}"
            out.append(_result("report.stated_change", "report", "pass" if ok else "fail", g, r.indicator, r.value,
                               expected, diff, tol, msg, [r, level, prior], r.report_id))
    return out


REASON_WORDS = ("原因", "由于", "因为")
DESCRIPTIVE = ("item.", "output.", "rate.")
PART_WORDS = ("包括", "其中")


def _says_restated(quote: str | None, rules: CheckRules) -> bool:
    """Whether a change's own words say it compares on a restated, comparable basis (口径一致相比, 可比); the words
    come with the rules, so a worker process judges by the rules it was handed, not by its own environment."""
    from yearwise.ingest.checks import mentions_restatement

    return mentions_restatement(quote or "", rules.restatement_words)


def _truncated(stated: FactRow, expected: Decimal, tol: Decimal) -> bool:
    """Whether the stated figure is the computed one cut (not rounded) to its printed digits."""
    unit = stated.half * 2
    return stated.value * expected >= 0 and Decimal(0) <= abs(expected) - abs(stated.value) <= unit + tol


def execution_checks(g: _Group, rules: CheckRules) -> list[CheckResult]:
    """A stated execution rate against spending / budget of the same group."""
    out = []
    for rule in rules.executions:
        spending, budget = g.chosen(rule.spending), g.chosen(rule.budget)
        for r in g.facts:
            if r.indicator != rule.rate or r.year != g.year or r.measure not in ("level", "share"):
                continue
            if spending is None or budget is None:
                continue
            judged = _judge(r, lambda s, b: s / b * HUNDRED, [spending, budget])
            if judged is None:
                continue
            ok, expected, diff, tol = judged
            msg = f"{rule.what}: stated {r.value}%, {spending.value} / {budget.value} gives {expected}%"
            out.append(_result(rule.name, "report", "pass" if ok else "fail", g, rule.rate, r.value, expected, diff,
                               tol, msg, [r, spending, budget], r.report_id))
    return out


def twice_checks(g: _Group, rules: CheckRules) -> list[CheckResult]:
    """One catalog figure of the group stated with two different values (a total stated twice differently).

    A value that the group also states as another indicator or as a change is left out: that number belongs to
    another sentence's subject, and calling it a second statement of this figure would be our error, not the
    report's.
    """
    out = []
    for code in rules.twice:
        levels = g.levels(code)
        if len({f.value for f in levels}) < 2:
            continue
        chosen = g.chosen(code)
        assert chosen is not None  # levels hold two values, so one is chosen
        others = {f.value for f in g.facts if f.indicator != code or f.measure != "level"}
        floor = max((p.value for i in rules.identities if i.whole == code
                     for p in (g.chosen(c) for c in (*i.parts, *i.optional)) if p is not None), default=Decimal(0))
        odd = [f for f in levels if f.value != chosen.value and f.value not in others and f.value != 0
               and f.value >= floor  # below its own part: plausibility.whole_below_part says so
               and not any(w in (f.quote or "") for w in PART_WORDS)]  # 项目支出包括…36.3万元 is a part of it
        odd = [f for f in odd if abs(f.value - chosen.value) > f.half + chosen.half]
        for value, group in itertools.groupby(sorted(odd, key=lambda f: f.value), key=lambda f: f.value):
            fs = list(group)
            n_chosen = sum(1 for f in levels if f.value == chosen.value)
            msg = (f"{code} stated as {chosen.value} ({n_chosen}x) and as {value} ({len(fs)}x) "
                   f"in the {g.doc_kind} of {g.year}")
            out.append(_result("report.stated_twice", "report", "fail", g, code, value, chosen.value,
                               _q(value - chosen.value), _q(fs[0].half + chosen.half), msg, [*fs, chosen],
                               blamed=len(fs)))
    return out


# ------------------------------------------------------------------ across years

def _revised(g: _Group, indicator: str, names: dict | None) -> str | None:
    """'公诉和审判监督 (2017) -> 公诉、审判、侦查、执行等检察监督支出 (2018)' when a classification code's printed
    names for the department differ between g's year and the year before (the Ministry of Finance revised what it
    covers); None when they share a name or one is unknown."""
    if not names or not indicator.startswith(("func.", "econ.")):
        return None
    code = indicator.split(".")[1]
    now, before = names.get((g.department_id, g.year, code)), names.get((g.department_id, g.year - 1, code))
    if not now or not before or set(now) & set(before):
        return None
    return f"{' / '.join(sorted(before))} ({g.year - 1}) -> {' / '.join(sorted(now))} ({g.year})"


def cross_year_checks(g: _Group, prior: _Group | None, names: dict | None = None) -> list[CheckResult]:
    """Stated changes, rates and restated prior-year levels of `g` against the prior year's own report. `names`:
    (department_id, year, code) -> the names the tables print for a classification code (see _revised)."""
    if prior is None:
        return []
    out = []
    facts = _Near(sorted(g.facts, key=lambda f: (f.source, f.start)))
    seen: set[tuple[object, ...]] = set()
    for r in facts:
        if r.year != g.year and not (r.measure == "level" and r.year == g.year - 1):
            continue
        own = prior.chosen(r.indicator)
        if own is None or (r.measure == "level" and own.unit != r.unit):
            continue
        if r.measure == "level" and r.year == g.year - 1:  # a prior-year figure this report restates (上年执行数 …)
            judged = _judge(r, lambda p: p, [own])
            key: tuple[object, ...] = ("prior", r.indicator, r.value)
            if judged is None or key in seen:
                continue
            seen.add(key)
            ok, expected, diff, tol = judged
            check, status, msg = "cross_year.prior_level", "pass" if ok else "fail", \
                f"{r.indicator} of {g.year - 1} restated as {r.value}; the {g.year - 1} report states {own.value}"
            if not ok and r.restated:
                check, status, msg = "cross_year.restatement", "pass", msg + " (restated on a comparable basis)"
            out.append(_result(check, "cross_year", status, g, r.indicator, r.value, expected, diff, tol, msg,
                               [r, own], r.report_id))
            continue
        if r.measure not in ("change", "change_rate") or r.compared_to not in (None, g.year - 1):
            continue
        if r.indicator.startswith(DESCRIPTIVE) or any(w in (r.quote or "") for w in REASON_WORDS):
            continue  # a descriptive name may stand for another row last year; a reason's number has another subject
        same = lambda f, m: f.indicator == r.indicator and f.measure == m and f.year == g.year  # noqa: E731
        change = r if r.measure == "change" else _nearest(facts, r, lambda f: same(f, "change"), NEAR_CHANGE)
        level = _nearest(facts, change or r, lambda f: same(f, "level"), NEAR_LEVEL)
        if level is None or level.value == 0 or level.unit != own.unit:
            continue  # only a change stated beside its level (预算支出0万元, 增加(减少)0万元 is a row that does not apply)
        if change is not None and _nearest(facts, level, lambda f: same(f, "change"), NEAR_LEVEL, after=True) is not change:
            continue  # 增加125.62万元…主要是…专项增加200万元: only the first change after a level is that level's
        mine = g.chosen(r.indicator)
        if mine is None or abs(mine.value - level.value) > mine.half + level.half:
            continue  # the sentence's level is not the report's figure for it (a sub-unit, or our misnaming)
        if r.measure == "change":
            fn, what = (lambda l, p: l - p), "level - last year's level"
        else:
            if r.unit not in ("%", None, "") or change is not None:
                continue  # a rate beside its change is checked in its sentence; the change is checked here
            fn, what = (lambda l, p: (l - p) / p * HUNDRED), "(level - last year's level) / last year's level"
        key = (r.measure, r.indicator, r.value, level.value)
        if key in seen:
            continue
        seen.add(key)
        judged = _judge(r, fn, [level, own])
        if judged is None:
            continue
        ok, expected, diff, tol = judged
        stated = "unchanged (持平)" if r.measure == "change" and r.value == 0 else f"{r.value}"
        msg = (f"{r.indicator}: stated {r.measure} {stated}; {what} = {level.value} vs {own.value} "
               f"(the {g.year - 1} {prior.doc_kind}) gives {expected}")
        check, status = f"cross_year.stated_{'change' if r.measure == 'change' else 'rate'}", "pass" if ok else "fail"
        if not ok and r.restated:
            check, status = "cross_year.restatement", "pass"
            msg += "; the report states a restated, comparable prior year (口径)"
        elif not ok and (revised := _revised(g, r.indicator, names)):
            # last year's figure of the code is another subject's: the report compares on the code's new scope
            check, status = "cross_year.revised_subject", "cannot"
            msg += f"; the code was revised between the years ({revised}): last year's report is no basis for it"
        out.append(_result(check, "cross_year", status, g, r.indicator, r.value, expected, diff, tol, msg,
                           [r, level, own], r.report_id))
    return out


def execution_comparisons(budget: _Group, final: _Group, rules: CheckRules) -> list[CheckResult]:
    """Budget against final accounts of the same year: a named comparison, reported (pass), never failed."""
    out = []
    for rule in rules.executions:
        b, s = budget.chosen(rule.budget), final.chosen(rule.spending)
        if b is None or s is None or b.value == 0:
            continue
        rate = _q(s.value / b.value * HUNDRED)
        msg = (f"execution: the {final.year} final accounts state spending {s.value}, the budget of that year "
               f"{b.value}: {rate}% executed")
        out.append(_result("cross_year.execution", "cross_year", "pass", final, rule.spending, s.value, b.value,
                           _q(s.value - b.value), None, msg, [s, b]))
    return out


# ------------------------------------------------------------------ plausibility

def plausibility_checks(g: _Group, rules: CheckRules, prior: _Group | None) -> list[CheckResult]:
    """Values the indicator does not allow, a whole smaller than its own part, tenfold jumps: doubtful."""
    out = []
    for bound in rules.ranges:
        for f in g.facts:
            if f.indicator == bound.indicator and f.measure == "level" and not (bound.min <= f.value <= bound.max):
                out.append(_result(bound.name, "plausibility", "doubtful", g, f.indicator, f.value, None, None, None,
                                   f"{bound.what}: {f.value}", [f], f.report_id))
    for identity in rules.identities:
        parts = [p for p in (g.chosen(c) for c in (*identity.parts, *identity.optional)) if p is not None]
        if not parts:
            continue
        biggest = max(parts, key=lambda p: p.value)
        for value, group in itertools.groupby(sorted(g.levels(identity.whole), key=lambda f: f.value),
                                              key=lambda f: f.value):
            fs = list(group)
            if value != 0 and value + fs[0].half + biggest.half < biggest.value:
                msg = f"{identity.whole} {value} is smaller than its own part {biggest.indicator} {biggest.value}"
                out.append(_result("plausibility.whole_below_part", "plausibility", "doubtful", g, identity.whole,
                                   value, biggest.value, _q(value - biggest.value), None, msg, [*fs, biggest],
                                   blamed=len(fs)))
    for ratio_rule in rules.ratios:
        num = g.chosen(ratio_rule.numerator)
        if num is None or num.value <= 0:
            continue
        # every value the group states for the denominator, table cells included (a query may pick any of them)
        dens = [f for f in g.facts if f.indicator == ratio_rule.denominator and f.measure == "level"
                and f.year == g.year and not f.approximate]
        for value, group in itertools.groupby(sorted(dens, key=lambda f: f.value), key=lambda f: f.value):
            fs = list(group)
            if value < 0:
                continue
            ratio = num.value / value if value else None
            if ratio is not None and ratio >= ratio_rule.min and ratio <= ratio_rule.max:
                continue
            if ratio is not None and ratio < ratio_rule.min:
                continue  # spending far below its budget: the spending is no more doubtful than the budget
            shown = "no budget at all" if ratio is None else f"{_q(ratio * HUNDRED)}%"
            msg = (f"{ratio_rule.what}: {ratio_rule.numerator} {num.value} / {ratio_rule.denominator} {value} = "
                   f"{shown}; {ratio_rule.denominator} {value} is doubtful")
            out.append(_result(ratio_rule.name, "plausibility", "doubtful", g, ratio_rule.denominator, value, None,
                               None, None, msg, fs, blamed=len(fs)))
    if prior is not None:
        for jump in rules.jumps:
            for code in jump.indicators:
                now, before = g.chosen(code), prior.chosen(code)
                if now is None or before is None or now.value <= 0 or before.value <= 0:
                    continue
                ratio = now.value / before.value
                if ratio > jump.factor or ratio < 1 / jump.factor:
                    msg = f"{code} goes from {before.value} ({g.year - 1}) to {now.value} ({g.year}): x{ratio:.2f}"
                    out.append(_result(jump.name, "plausibility", "doubtful", g, code, now.value, before.value,
                                       _q(now.value - before.value), None, msg, [now, before]))
    return out


# ------------------------------------------------------------------ versions

def version_checks(current: list[_Group], superseded: dict[int, list[FactRow]],
                   superseding: dict[int, int | None], report_facts: dict[int, list[FactRow]]) -> list[CheckResult]:
    """What each superseding version changed, and current versions of one document that disagree (conflict)."""
    out = []
    for old_id, new_id in superseding.items():
        if new_id is None:
            continue
        old, new = report_facts.get(old_id, []), report_facts.get(new_id, [])
        if not old or not new:
            continue
        g = _Group(old[0].department_id, old[0].department, old[0].fiscal_year, old[0].doc_kind, old + new)
        out += _version_diff(g, old, new, "version.changed", "pass",
                             f"{new[0].source} supersedes {old[0].source}")
    for g in current:
        reports = defaultdict(list)
        for f in g.facts:
            reports[f.report_id].append(f)
        ordered = sorted(reports.values(), key=lambda fs: (fs[0].source, fs[0].fact_id))
        for a, b in itertools.combinations(ordered, 2):
            if _restates(a, b):
                out += _version_diff(g, a, b, "version.conflict", "fail",
                                     f"{a[0].source} and {b[0].source} are versions of one document that disagree "
                                     "and nothing in them says which is current", blamed=2)
    return out


def _restates(a: list[FactRow], b: list[FactRow]) -> bool:
    """Whether two reports state at least half of the smaller one's figures alike (versions, not companions)."""
    sa = {(f.indicator, f.value) for f in a}
    sb = {(f.indicator, f.value) for f in b}
    small = min(len(sa), len(sb))
    return small > 0 and len(sa & sb) >= 0.5 * small


def _version_diff(g: _Group, old: list[FactRow], new: list[FactRow], check: str, status: str, why: str,
                  blamed: int = 1):
    """One row for a pair of versions: every figure they state differently (message), the first catalog figure
    as stated/expected, and every differing fact involved (blamed: the new version's, or both in a conflict)."""
    diffs = _figure_diffs(g, old, new)
    if not diffs:
        return []
    diffs.sort(key=lambda ab: (ab[0].indicator.startswith(DESCRIPTIVE), ab[0].indicator))
    a, b = diffs[0]
    listed = "; ".join(f"{x.indicator} {x.value} -> {y.value}" for x, y in diffs)
    facts = [y for _, y in diffs] + [x for x, _ in diffs]
    return [_result(check, "version", status, g, b.indicator, b.value, a.value, _q(b.value - a.value), None,
                    f"{why}: {len(diffs)} figures differ (first -> second): {listed}", facts, b.report_id,
                    blamed=len(diffs) * (2 if blamed == 2 else 1))]


def _figure_diffs(g: _Group, old: list[FactRow], new: list[FactRow]) -> list[tuple[FactRow, FactRow]]:
    out = []
    codes = sorted({f.indicator for f in old if f.measure == "level"} & {f.indicator for f in new if f.measure == "level"})
    for code in codes:
        olds = [f for f in old if f.indicator == code and f.measure == "level" and f.year == g.year and not ambiguous(f)]
        news = [f for f in new if f.indicator == code and f.measure == "level" and f.year == g.year and not ambiguous(f)]
        a, b = choose(olds), choose(news)
        if a is None or b is None or a.value == b.value:
            continue
        if {f.value for f in olds} & {f.value for f in news}:
            # a code printed in several tables with several values (功能分类 201: 6,543.55 of every fund in the
            # 收支总表, 6,463.55 in the 一般公共预算 table) that the other states one of: not a changed figure
            continue
        out.append((a, b))
    return out


# ------------------------------------------------------------------ evaluation over the warehouse

_FACT_SQL = """
SELECT f.fact_id, f.report_id, r.department_id, d.name, r.fiscal_year, r.doc_kind, r.status, r.source, f.year,
       f.indicator_code, f.measure, f.value, f.unit, f.approximate, f.compared_to, f.raw_value, f.quote,
       f.start_offset, f.end_offset, f.rule, r.superseded_by,
       EXISTS (SELECT 1 FROM restatement s WHERE s.report_id = f.report_id AND s.start_offset = f.start_offset)
FROM fact f
JOIN report r ON r.report_id = f.report_id
LEFT JOIN department d ON d.department_id = r.department_id
WHERE r.department_id IS NOT NULL AND r.fiscal_year IS NOT NULL
  AND f.scope = 'department' AND f.period = 'FY'
  {where}
ORDER BY r.source, r.sha256, f.start_offset, f.indicator_code, f.measure, f.value
"""  # by the documents, not by ids: which fact stands for a value must not depend on the order files came in


_NAMES_SQL = """
SELECT r.department_id, f.year, f.row_code, list(DISTINCT f.row_label ORDER BY f.row_label)
FROM fact f JOIN report r ON r.report_id = f.report_id
WHERE r.status = 'current' AND r.department_id IS NOT NULL AND f.row_code IS NOT NULL AND f.row_label IS NOT NULL
  AND f.year IS NOT NULL {where}
GROUP BY ALL
"""  # the names each department's tables print for each classification code, by year


def department_filter(department_ids: Iterable[int] | None) -> str | None:
    """The condition on `r.department_id` that keeps the given departments ("" for all; None for none), with the
    ids written out as integers: each input query is then whole SQL, run here or to write a worker's inputs."""
    if department_ids is None:
        return ""
    ids = sorted({int(i) for i in department_ids})
    return f"AND r.department_id IN ({', '.join(map(str, ids))})" if ids else None


def input_queries(department_ids: Iterable[int] | None = None) -> dict[str, str] | None:
    """What the checks of the given departments read, by name: the SQL of each (None: no department)."""
    where = department_filter(department_ids)
    if where is None:
        return None
    return {name: sql.format(where=where) for name, sql in _INPUTS.items()}


def evaluate(con, department_ids: Iterable[int] | None = None, rules: CheckRules | None = None) -> list[CheckResult]:
    """Every check over the facts of the given departments (default all); nothing is written."""
    queries = input_queries(department_ids)
    if queries is None:
        return []
    return evaluate_rows({name: con.execute(sql).fetchall() for name, sql in queries.items()}, rules or load_checks())


def evaluate_rows(rows: dict[str, list[tuple]], rules: CheckRules) -> list[CheckResult]:
    """Every check over what input_queries read (their rows by name): pure, so a worker process can run it on
    rows it read from files (warehouse.check_pool) and give what evaluate gives here."""
    groups: dict[tuple, _Group] = {}
    superseded: dict[int, list[FactRow]] = defaultdict(list)
    superseding: dict[int, int | None] = {}
    report_facts: dict[int, list[FactRow]] = defaultdict(list)
    for row in rows["facts"]:
        fields = (*row[:11], _plain(row[11]), *row[12:20], bool(row[21]))  # all but superseded_by (row[20])
        f = FactRow(*fields)
        report_facts[f.report_id].append(f)
        if f.status == "current":
            key = (f.department_id, f.fiscal_year, f.doc_kind)
            if key not in groups:
                groups[key] = _Group(f.department_id, f.department, f.fiscal_year, f.doc_kind)
            groups[key].facts.append(f)
        else:
            superseded[f.report_id].append(f)
            superseding[f.report_id] = row[20]
    names: dict[tuple[int, int, str], list[str]] = {
        (dep, year, code): labels for dep, year, code, labels in rows["names"]}
    out: list[CheckResult] = []
    for key, g in sorted(groups.items(), key=lambda kv: kv[0]):
        prior = groups.get((g.department_id, g.year - 1, g.doc_kind))
        out += identity_checks(g, rules)
        out += statement_checks(g, rules)
        out += execution_checks(g, rules)
        out += twice_checks(g, rules)
        out += cross_year_checks(g, prior, names)
        out += plausibility_checks(g, rules, prior)
        if g.doc_kind == "final_accounts":
            budget = groups.get((g.department_id, g.year, "budget"))
            if budget is not None:
                out += execution_comparisons(budget, g, rules)
    out += version_checks(list(groups.values()), superseded, superseding, report_facts)
    out = merge_repeats(out) + table_results(rows["tables"], rows["table_facts"])
    # by department, keeping each one's order: checks are per department, so the rows (and the ids drawn for them)
    # are the same whichever other departments were evaluated alongside (a chunk of 50 or 27, or all)
    return sorted(out, key=lambda r: (r.department_id is None, r.department_id or 0))


def merge_repeats(results: list[CheckResult]) -> list[CheckResult]:
    """One row for one piece of arithmetic a report states in several places (总计 增长10.15% under 收入, 财政拨款
    and 一般公共预算 alike): same check, department, year, kind, status, stated and expected; the facts of all."""
    merged: dict[tuple, CheckResult] = {}
    for r in results:
        if r.category not in ("report", "cross_year"):
            merged[(id(r),)] = r
            continue
        key = (r.check, r.department_id, r.year, r.doc_kind, r.status, r.stated, r.expected, tuple(sorted(r.values)))
        first = merged.get(key)
        if first is None:
            merged[key] = r
            continue
        blamed = first.facts[:first.blamed] + tuple(f for f in r.facts[:r.blamed] if f not in first.facts)
        rest = tuple(f for f in first.facts[first.blamed:] + r.facts[r.blamed:] if f not in blamed)
        also = f" (also stated as {r.indicator})" if r.indicator != first.indicator else ""
        merged[key] = CheckResult(first.check, first.category, first.status, first.department_id, first.department,
                                  first.year, first.doc_kind, first.indicator, first.stated, first.expected,
                                  first.difference, first.tolerance, first.message + also, first.report_id,
                                  tuple(dict.fromkeys(blamed + rest)), len(blamed), first.values)
    return list(merged.values())


def run_checks(con, department_ids: Iterable[int] | None = None) -> list[CheckResult]:
    """Evaluate the checks of the given departments (default all) and replace their rows in `checks`: one DELETE
    and one INSERT … SELECT per table, whatever the number of checks."""
    results = evaluate(con, department_ids)
    replace_checks(con, department_ids, *check_frames(results))
    return results


def replace_checks(con, department_ids: Iterable[int] | None, checks, links) -> None:
    """Replace the rows of `checks` and `check_fact` of the given departments (default all) by the frames `checks`
    and `links` (as check_frames builds them, numbered by `ordinal`), in one transaction; their ids are drawn from
    check_id_seq in the rows' order."""
    ids = None if department_ids is None else sorted(set(department_ids))
    count = checks.height
    con.register("_yw_checks", checks)  # registered outside the transaction: an aborted one refuses even unregister
    con.register("_yw_check_facts", links)
    try:
        if count:
            con.execute("CREATE OR REPLACE TEMP TABLE _yw_check_ids AS SELECT check_id, "
                        "row_number() OVER (ORDER BY check_id) - 1 AS ordinal "
                        "FROM (SELECT nextval('check_id_seq') AS check_id FROM range(?))", [count])
        con.begin()
        try:
            if ids is None:
                con.execute("DELETE FROM check_fact")
                con.execute("DELETE FROM checks")
            elif ids:
                con.execute("DELETE FROM check_fact WHERE check_id IN "
                            "(SELECT check_id FROM checks WHERE department_id = ANY(?::BIGINT[]))", [ids])
                con.execute("DELETE FROM checks WHERE department_id = ANY(?::BIGINT[])", [ids])
            if count:
                con.execute(_INSERT_CHECKS)
                con.execute("INSERT INTO check_fact (check_id, fact_id, position, blamed) "
                            "SELECT i.check_id, l.fact_id, l.position, l.blamed FROM _yw_check_facts l "
                            "JOIN _yw_check_ids i ON i.ordinal = l.ordinal ORDER BY l.ordinal, l.position")
            con.commit()
        except BaseException:
            con.rollback()
            raise
    finally:
        con.execute("DROP TABLE IF EXISTS _yw_check_ids")
        con.unregister("_yw_checks")
        con.unregister("_yw_check_facts")


_DECIMAL = "DECIMAL(20, 6)"
_INSERT_CHECKS = (
    'INSERT INTO checks (check_id, "check", category, status, department_id, year, doc_kind, indicator, stated, '
    'expected, difference, tolerance, message, report_id, "table", row_code, "column") '
    'SELECT i.check_id, c."check", c.category, c.status, c.department_id, c.year, c.doc_kind, c.indicator, '
    f"CAST(c.stated AS {_DECIMAL}), CAST(c.expected AS {_DECIMAL}), CAST(c.difference AS {_DECIMAL}), "
    f'CAST(c.tolerance AS {_DECIMAL}), c.message, c.report_id, c."table", c.row_code, c."column" '
    "FROM _yw_checks c JOIN _yw_check_ids i ON i.ordinal = c.ordinal ORDER BY c.ordinal")


def check_frames(results: list[CheckResult]):
    """The rows of `checks` and `check_fact` for `results` as two polars frames, numbered by `ordinal` (the
    results' order; replace_checks gives them their ids)."""
    import polars as pl

    text = pl.String
    rows = pl.DataFrame(
        [(n, r.check, r.category, r.status, r.department_id, r.year, r.doc_kind, r.indicator, _txt(r.stated),
          _txt(r.expected), _txt(r.difference), _txt(r.tolerance), r.message, r.report_id, r.table, r.row_code,
          r.column) for n, r in enumerate(results)],
        schema={"ordinal": pl.Int64, "check": text, "category": text, "status": text, "department_id": pl.Int64,
                "year": pl.Int64, "doc_kind": text, "indicator": text, "stated": text, "expected": text,
                "difference": text, "tolerance": text, "message": text, "report_id": pl.Int64, "table": text,
                "row_code": text, "column": text}, orient="row")
    links = pl.DataFrame(
        [(n, fid, k, k < r.blamed) for n, r in enumerate(results) for k, fid in enumerate(r.facts)],
        schema={"ordinal": pl.Int64, "fact_id": pl.Int64, "position": pl.Int64, "blamed": pl.Boolean},
        orient="row")
    return rows, links


# ------------------------------------------------------------------ table arithmetic

TO_WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000), "": Decimal(1)}

_TABLE_SQL = """
SELECT t.report_id, t.position, t.rule, t."table", t.page, t.row_code, t.row_label, t."column", t.whole, t.parts,
       t.n_parts, t.unit, t.tolerance, t.starts, r.department_id, d.name, r.fiscal_year, r.doc_kind, r.source
FROM table_sum t
JOIN report r ON r.report_id = t.report_id
JOIN department d ON d.department_id = r.department_id
WHERE r.status = 'current' AND r.fiscal_year IS NOT NULL
  {where}
ORDER BY r.source, r.sha256, t.position
"""

_TABLE_FACTS_SQL = """
SELECT f.report_id, f.start_offset, arg_min(f.fact_id, f.fact_id), arg_min(f.indicator_code, f.fact_id)
FROM fact f JOIN report r ON r.report_id = f.report_id
WHERE f."table" IS NOT NULL AND r.status = 'current' AND r.fiscal_year IS NOT NULL
  AND f.report_id IN (SELECT report_id FROM table_sum) {where}
GROUP BY ALL
"""


# what the checks read, by name (input_queries fills in the departments)
_INPUTS = {"facts": _FACT_SQL, "names": _NAMES_SQL, "tables": _TABLE_SQL, "table_facts": _TABLE_FACTS_SQL}
INPUTS = tuple(_INPUTS)


def table_status(whole: Decimal, parts: Decimal, tolerance: Decimal) -> str:
    """pass when the printed whole is the sum of the printed parts; doubtful when they differ by no more than the
    rounding of every printed figure allows (0.01 over parts printed in 万元 rounded from 元: the table may add up
    before rounding, yet its printed figures do not: a finding about the source); fail beyond that."""
    if whole == parts:
        return "pass"
    return "doubtful" if abs(whole - parts) <= tolerance else "fail"


def table_results(rows: list[tuple], table_facts: list[tuple]) -> list[CheckResult]:
    """Table arithmetic the reader evaluated (table_sum; the rows of _TABLE_SQL, the cells' facts of
    _TABLE_FACTS_SQL): one check per identity, its figures in 万元, the whole's fact blamed when it fails."""
    facts = {(rid, start): (fid, code) for rid, start, fid, code in table_facts}
    out = []
    for (rid, _pos, rule, table, page, code, label, column, whole, parts, n, unit, tol, starts, dep_id, dep, year,
         kind, source) in rows:
        status = table_status(whole, parts, tol)
        scale = TO_WAN.get(unit or "", Decimal(1))
        found = [facts.get((rid, int(x))) for x in (starts or "").split(",") if x]
        linked = [x for x in found if x is not None]
        whole_fact = facts.get((rid, int(starts.split(",")[0]))) if starts and starts.split(",")[0] else None
        where_ = f"{table} p{page} {code or label} [{column}]" if page else f"{table} {code or label} [{column}]"
        what = {"table.children": "科目 = Σ 下级科目", "table.classes": f"{label} = Σ 类"}.get(rule, f"{column} = Σ 分项")
        msg = (f"{where_}: {what}: printed {_plain(whole)} {unit}, its {n} parts add to {_plain(parts)} "
               f"(difference {_plain(whole - parts)})")
        if status == "doubtful":
            msg += f"; within the rounding of the printed figures (±{_plain(tol)})"
        ids = tuple(dict.fromkeys(fid for fid, _ in linked))
        out.append(CheckResult(rule, "table", status, dep_id, dep, year, kind, whole_fact[1] if whole_fact else None,
                               _q(whole * scale), _q(parts * scale), _q((whole - parts) * scale), _q(tol * scale),
                               msg, rid, ids, 1 if status != "pass" and whole_fact else 0, (), table, code or None,
                               column))
    return out


def record_table_sums(con, reports_with_ids: list[tuple[int, Report]]) -> int:
    """Keep the table arithmetic the reader evaluated on each new report (Report.table_checks); rows written.

    Called at load with each new report and its report_id: the tables are only there."""
    from yearwise.warehouse.load import insert_columns

    rows = []
    for report_id, report in reports_with_ids:
        for n, c in enumerate(getattr(report, "table_checks", ()) or ()):
            starts = ",".join("" if x is None else str(x) for x in c.starts)
            rows.append((report_id, n, c.rule, c.table, c.page, c.row_code, c.row_label, c.column, _txt(c.whole),
                         _txt(c.parts), c.count, c.unit, _txt(c.tolerance), starts))
    insert_columns(con, 'INSERT INTO table_sum (report_id, position, rule, "table", page, row_code, row_label, '
                   '"column", whole, parts, n_parts, unit, tolerance, starts) SELECT *',
                   ("BIGINT", "INTEGER", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                    "VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR"), rows, "ON CONFLICT DO NOTHING")
    return len(rows)


def _txt(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def record_restatements(con, reports_with_ids: list[tuple[int, Report]]) -> int:
    """Mark the changes whose sentence names a comparable-basis restatement (同口径, 可比 …); rows written.

    Called at load with each new report and its report_id: the document text is only there.
    """
    from yearwise.ingest.checks import load_checks, mentions_restatement, restated_column, restatement_statement
    from yearwise.ingest.table_checks import column_cells

    rules = load_checks()
    rows = []
    for report_id, report in reports_with_ids:
        text = report.document.text
        statement = restatement_statement(text, rules)  # 上年数据已按新口径调整: the whole report's prior year
        for f in report.facts:
            prior = f.year is not None and report.year is not None and f.year < report.year and f.measure == "level"
            if f.measure not in ("change", "change_rate") and f.rule not in ("level.prior_year", "level.earlier_year") \
                    and not (statement and prior):
                continue
            end = _sentence_after(text, f.end)
            window = text[f.end:end]
            if mentions_restatement(window, rules.restatement_words):
                rows.append((report_id, f.start, window[:200]))
            elif statement:
                rows.append((report_id, f.start, statement[:200]))
        tables = getattr(report.document, "tables", ()) or ()
        if tables and rules.restatement_columns:  # a column 上年数(可比口径): its cells are restated figures
            for start, header in column_cells(tables, report.facts, lambda p: restated_column(p, rules)).items():
                rows.append((report_id, start, header[:200]))
    if rows:
        con.executemany("INSERT INTO restatement (report_id, start_offset, words) VALUES (?, ?, ?) "
                        "ON CONFLICT DO NOTHING", rows)
    return len(rows)


_SENTENCE_STOP = re.compile("[。;；]")


def _sentence_after(text: str, at: int, limit: int = 160) -> int:
    """The end of the sentence that follows `at` (its reason: 主要原因是…口径…), within limit characters: the second
    。/; at least three characters after `at`."""
    stop = min(len(text), at + limit)
    first = _SENTENCE_STOP.search(text, at + 3, stop)
    second = _SENTENCE_STOP.search(text, first.end(), stop) if first else None
    return second.start() if second else stop
