"""Canned-query parameters checked against the warehouse before the query runs.

A value that matches nothing would give an empty answer and exit 0, which reads as "no data": instead an unknown
department, indicator or year is an error naming the value and the closest matches (spellings folded: aliases,
traditional/simplified, 管委会/管理委员会), and an impossible range (from_year after to_year) is an error too.
"""

from __future__ import annotations

import difflib

from yearwise.api import YearwiseError


class ParamError(YearwiseError):
    """A parameter value the warehouse cannot answer for; str() is one line with suggestions."""


def closest(value: str, candidates: list[str], *, fold=lambda s: s, n: int = 3) -> list[str]:
    """Up to n candidates nearest to `value`: those containing it (or contained in it) first, then by similarity."""
    key = fold(value)
    folded = {c: fold(c) for c in candidates}
    near = [c for c, f in folded.items() if key and f and (key in f or f in key)]
    near.sort(key=lambda c: (abs(len(folded[c]) - len(key)), c))
    by_ratio = difflib.get_close_matches(key, list(folded.values()), n=n * 2, cutoff=0.4)
    back: dict[str, str] = {}
    for c, f in folded.items():
        back.setdefault(f, c)
    out = []
    for c in near + [back[f] for f in by_ratio]:
        if c not in out:
            out.append(c)
    return out[:n]


def _suggest(what: str, value, matches: list[str], listing: str) -> ParamError:
    hint = f"; did you mean {' or '.join(matches)}?" if matches else ""
    return ParamError(f"no {what} {value!r} in this warehouse{hint} (list them: {listing})")


def _rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def resolve_department(con, value: str) -> str:
    """The canonical name for any spelling the warehouse has seen or folds to; ParamError otherwise."""
    from yearwise.warehouse import canonical_department

    canonical = canonical_department(value)
    hit = _rows(con, "SELECT d.name FROM department_alias a JOIN department d USING (department_id) "
                     "WHERE a.alias IN (?, ?) ORDER BY a.alias = ? DESC LIMIT 1", [value, canonical, value])
    if not hit:
        hit = _rows(con, "SELECT name FROM department WHERE name = ?", [canonical])
    if hit:
        return hit[0][0]
    names = [r[0] for r in _rows(con, "SELECT DISTINCT d.name FROM department d "
                                      "JOIN report r USING (department_id) WHERE r.status = 'current'")]
    aliases = _rows(con, "SELECT a.alias, d.name FROM department_alias a JOIN department d USING (department_id)")
    by_alias = {alias: name for alias, name in aliases if name in names}
    matches = closest(value, sorted(set(names) | set(by_alias)), fold=canonical_department)
    named = []
    for m in matches:
        name = by_alias.get(m, m)
        if name not in named:
            named.append(name)
    raise _suggest("department", value, named, "yearwise departments")


def _indicator(con, value: str, *, prefix_ok: bool) -> str:
    """An indicator code with facts (or a prefix ending in '.', where allowed); a Chinese name maps to its code."""
    codes = dict(_rows(con, "SELECT code, name FROM indicator WHERE code IN (SELECT DISTINCT indicator_code FROM fact)"))
    if value in codes:
        return value
    if prefix_ok and value.endswith(".") and any(c.startswith(value) for c in codes):
        return value
    by_name = {n: c for c, n in codes.items() if n}
    if value in by_name:
        return by_name[value]
    lowered = {c.lower(): c for c in codes}
    if value.lower() in lowered:
        return lowered[value.lower()]
    from yearwise.warehouse.departments import simplify

    matches = closest(value, sorted(codes) + sorted(by_name), fold=lambda s: simplify(s).lower())
    shown = []
    for m in matches:
        label = f"{by_name[m]} ({m})" if m in by_name and m not in codes else (
            f"{m} ({codes[m]})" if codes.get(m) else m)
        shown.append(label)
    raise _suggest("indicator", value, shown, "yearwise indicators")


def _years(con) -> list[int]:
    return [r[0] for r in _rows(con, "SELECT DISTINCT f.year FROM fact f JOIN report r USING (report_id) "
                                     "WHERE r.status = 'current' AND f.year IS NOT NULL ORDER BY 1")]


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years else "none"


def check(con, spec, params: dict) -> dict:
    """`params` bound for canned query `spec` (coerced, defaults filled), each value checked against the warehouse.

    Department and indicator values are replaced by the canonical name or code they denote."""
    bound = spec.bind(**params)
    given = {k for k, v in params.items() if v is not None}
    try:
        _rows(con, "SELECT 1 FROM department_alias LIMIT 0")
    except Exception:  # not a yearwise warehouse (a bare facts table): nothing to check against
        return bound
    if isinstance(bound.get("department"), str) and "department" in given:
        bound["department"] = resolve_department(con, bound["department"])
    if isinstance(bound.get("indicator"), str) and "indicator" in given:
        p = spec.param("indicator")
        bound["indicator"] = _indicator(con, bound["indicator"], prefix_ok="prefix" in (p.help if p else ""))
    lo, hi = bound.get("from_year"), bound.get("to_year")
    if lo is not None and hi is not None and lo > hi:
        raise ParamError(f"from_year {lo} is after to_year {hi}: no year can be in that range")
    year_params = {k: bound[k] for k in ("year", "from_year", "to_year") if bound.get(k) is not None and k in given}
    if year_params:
        years = _years(con)
        if "year" in year_params and year_params["year"] not in years:
            near = sorted(years, key=lambda y: (abs(y - year_params["year"]), y))[:3]
            raise ParamError(f"no facts for year {year_params['year']} in this warehouse (years: {_span(years)}"
                             + (f"; nearest: {', '.join(map(str, near))})" if near else ")"))
        first = year_params.get("from_year", years[0] if years else None)
        last = year_params.get("to_year", years[-1] if years else None)
        if years and (first is None or last is None or last < years[0] or first > years[-1]):
            raise ParamError(f"no facts between {first} and {last} in this warehouse (years: {_span(years)})")
    return bound
