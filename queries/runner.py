"""Canned queries: .sql files beside this module, described by their header comments, run with bound params."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from yearwise.queries.chartspec import parse_spec
from yearwise.warehouse.figures import ensure as ensure_figures
from yearwise.warehouse.figures import reads_figures
from yearwise.warehouse.results import frame

QUERY_DIR = Path(__file__).resolve().parent
TYPES = {"int": int, "str": str, "float": float}


class QueryError(ValueError):
    """A canned query that does not exist or a parameter it cannot take; str() is one line."""


@dataclass(frozen=True)
class Param:
    """One declared parameter: `-- param: name type default [choices a|b] -- help`."""

    name: str
    type: str
    default: object = None
    choices: tuple[str, ...] = ()
    help: str = ""

    def coerce(self, value):
        """The value as this parameter's type; None and 'null' stay None. Raises QueryError."""
        if value is None or (isinstance(value, str) and value.strip().lower() in ("null", "none", "")):
            return None
        kind = TYPES[self.type]
        try:
            if kind is int and isinstance(value, float) and not value.is_integer():
                raise ValueError
            if kind is int and isinstance(value, str):
                value = value.strip()
            out = kind(value)
        except (TypeError, ValueError):
            raise QueryError(f"parameter {self.name}: expected {self.type}, got {value!r}") from None
        if self.choices and str(out) not in self.choices:
            raise QueryError(f"parameter {self.name}: {out!r} is not one of {'|'.join(self.choices)}")
        return out


@dataclass(frozen=True)
class QuerySpec:
    """A canned query: name (file stem), title, description, declared params and the SQL text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    sql: str = ""
    path: Path | None = None
    chart: dict = field(default_factory=dict)  # from the `-- chart:` lines: how yearwise.charts draws the answer

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def bind(self, **given) -> dict:
        """Every declared param, coerced, defaults filled in; unknown names raise QueryError."""
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            valid = ", ".join(p.name for p in self.params) or "none"
            raise QueryError(f"query {self.name}: unknown parameter {', '.join(unknown)} (valid: {valid})")
        return {p.name: p.coerce(given[p.name] if p.name in given else p.default) for p in self.params}

    def to_dict(self) -> dict:
        """Plain data for `yearwise queries --format json`."""
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [{"name": p.name, "type": p.type, "default": p.default,
                            "choices": list(p.choices) or None, "help": p.help} for p in self.params],
                "chart": dict(self.chart) or None}


def parse_header(name: str, text: str, path: Path | None = None) -> QuerySpec:
    """Read the `-- title:`/`-- description:`/`-- param:`/`-- chart:` comment lines at the top of a .sql file."""
    title, desc, params, chart = "", [], [], []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("--"):
            break
        body = s[2:].strip()
        key, sep, rest = body.partition(":")
        if not sep:
            continue
        key, rest = key.strip().lower(), rest.strip()
        if key == "title":
            title = rest
        elif key == "description":
            desc.append(rest)
        elif key == "param":
            params.append(_parse_param(name, rest))
        elif key == "chart":
            chart.append(rest)
    try:
        spec = parse_spec(name, chart)
    except ValueError as e:
        raise QueryError(str(e)) from None
    return QuerySpec(name=name, title=title or name, description=" ".join(desc), params=tuple(params),
                     sql=text, path=path, chart=spec)


def _parse_param(query: str, spec: str) -> Param:
    left, _, help_ = spec.partition(" -- ")
    tokens = shlex.split(left.replace("[", " ").replace("]", " "))
    if len(tokens) < 2 or tokens[1] not in TYPES:
        raise QueryError(f"query {query}: bad param line {spec!r} (want: name type default [choices a|b] -- help)")
    name, type_ = tokens[0], tokens[1]
    choices: tuple[str, ...] = ()
    rest = tokens[2:]
    if "choices" in rest:
        i = rest.index("choices")
        choices = tuple(rest[i + 1].split("|")) if i + 1 < len(rest) else ()
        rest = rest[:i]
    raw = rest[0] if rest else "null"
    p = Param(name=name, type=type_, choices=choices, help=help_.strip())
    default = None if raw.lower() == "null" else p.coerce(raw)
    return Param(name=name, type=type_, default=default, choices=choices, help=help_.strip())


@lru_cache(maxsize=None)
def _load(path: Path, mtime: float) -> QuerySpec:
    return parse_header(path.stem, path.read_text(encoding="utf-8"), path)


def query_dirs() -> list[Path]:
    """This folder, then the folders named in $YEARWISE_QUERIES (separated by os.pathsep): a user's own .sql files."""
    import os

    extra = [Path(p).expanduser() for p in os.environ.get("YEARWISE_QUERIES", "").split(os.pathsep) if p.strip()]
    return [QUERY_DIR] + extra


def list_queries() -> list[QuerySpec]:
    """Every canned query, sorted by name; a user's file replaces a built-in query of the same name."""
    found: dict[str, Path] = {}
    for folder in query_dirs():
        for p in sorted(folder.glob("*.sql")):
            found[p.stem] = p
    return [_load(p, p.stat().st_mtime) for _, p in sorted(found.items())]


def get_query(name: str) -> QuerySpec:
    """The canned query called `name`; QueryError naming the known ones otherwise."""
    for spec in list_queries():
        if spec.name == name:
            return spec
    import difflib

    names = [s.name for s in list_queries()]
    near = difflib.get_close_matches(name, names, n=2, cutoff=0.5)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    raise QueryError(f"no canned query {name!r}{hint} (known: {', '.join(names)})")


def run_query(con, name: str, **params):
    """Run canned query `name` on a DuckDB connection with bound params; a polars DataFrame."""
    spec = get_query(name)
    bound = spec.bind(**params)
    _settle(con)
    if reads_figures(spec.sql):
        ensure_figures(con)  # the picks it reads are those of the facts and checks now (warehouse.figures)
    return frame(con.sql(spec.sql, params=bound))


def _settle(con) -> None:
    """Finish a result an earlier execute() left half-read: DuckDB 2 refuses new work until then."""
    complete = getattr(con, "complete", None)
    if complete is not None:
        complete()
