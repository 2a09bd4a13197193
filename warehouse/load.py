"""Loading reports: documents in few transactions (each one atomic), facts inserted in bulk from polars frames.

A document is identified by its sha256 (loading it again changes nothing); a different file for the
same department, fiscal year and kind that restates its figures is another version of it. Which version is
current is decided by what the documents say (the date they state, then a 更正/修订 mark: ingest.versions),
never by the order they come in; the other is kept as 'superseded', so `facts` shows one version and
`all_facts` the history. Versions nothing decides between both stay current (a failed version.conflict check).
"""

from __future__ import annotations

import itertools
import operator
import os
from contextlib import contextmanager
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal

import polars as pl

from yearwise.ingest.model import FACT_COLUMNS
from yearwise.ingest.versions import VersionEvidence, evidence as version_evidence, later as later_version
from yearwise.ingest.version import parser_version
from yearwise.warehouse.departments import canonical_department
from yearwise.warehouse.schema import VALUE_TYPE, create_macros, fact_storage, report_id_seq, settle

_synced: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # connection -> catalog synced into it
_names = itertools.count()

# the polars type of each fact spec type; a decimal travels as its exact text and is cast by DuckDB
_POLARS_TYPES = {"str": pl.String, "int": pl.Int64, "float": pl.Float64, "bool": pl.Boolean, "decimal": pl.String}
_FACT_SCHEMA = {c.name: _POLARS_TYPES[c.type] for c in FACT_COLUMNS}
_FIELD_GETTERS = {name: operator.attrgetter(name) for name in _FACT_SCHEMA}  # a column is map(getter, facts)
# the INSERT's column list and the frame's columns that fill it (year falls back to the report's)
_STORED = fact_storage()
_INSERT_COLUMNS = ", ".join(f'"{column}"' for _, column in _STORED)
_INSERT_VALUES = ", ".join(
    "coalesce(n.year, m.year[n.doc + 1])" if name == "year" else
    f"CAST(n.value AS {VALUE_TYPE})" if name == "value" else f'n."{name}"'
    for name, _ in _STORED)

# the report row's columns as load inserts them, with their SQL types
_REPORT_INSERT = (("report_id", "BIGINT"), ("sha256", "VARCHAR"), ("source", "VARCHAR"), ("source_path", "VARCHAR"),
                  ("doc_kind", "VARCHAR"), ("department_id", "BIGINT"), ("fiscal_year", "INTEGER"),
                  ("pages", "INTEGER"), ("format", "VARCHAR"), ("parser_version", "VARCHAR"),
                  ("entity_level", "VARCHAR"), ("identity", "VARCHAR"), ("flags", "VARCHAR"), ("warnings", "VARCHAR"),
                  ("stated_date", "DATE"), ("correction", "BOOLEAN"))

# the polars type a column of each DuckDB type is built as (insert_columns)
_FRAME_TYPES = {"BIGINT": pl.Int64, "INTEGER": pl.Int32, "VARCHAR": pl.String, "DATE": pl.Date,
                "BOOLEAN": pl.Boolean}


def insert_columns(con, insert: str, types, rows: list[tuple], tail: str = "") -> None:
    """Run `insert` (an `INSERT INTO … SELECT …` that lacks its FROM) over `rows`, built as a polars frame with
    one column of each DuckDB type in `types` and scanned through Arrow: Python values are converted once, in
    bulk, instead of bound as parameters one by one."""
    if not rows:
        return
    frame = pl.DataFrame([pl.Series(f"c{i}", list(column), dtype=_FRAME_TYPES[t])
                          for i, (column, t) in enumerate(zip(zip(*rows), types))])
    name = f"_yw_rows_{next(_names)}"
    con.register(name, frame)
    try:
        con.execute(f"{insert} FROM {name} {tail}")
    except BaseException:
        try:  # an aborted transaction refuses even unregister: the name is unique, leave it to the connection
            con.unregister(name)
        except Exception:
            pass
        raise
    con.unregister(name)


UNIT_KINDS = {"万元": "money", "元": "money", "亿元": "money", "%": "percent", "分": "score"}


@dataclass
class LoadResult:
    """What load_report did with one document."""

    source: str
    department: str | None  # canonical name
    year: int | None
    doc_kind: str
    facts: int  # facts of this document now in the warehouse
    # loaded | unchanged | replaced | superseded (an earlier version than one already loaded)
    # | identified (an unidentified report given its department)
    status: str
    superseded: list[str] = field(default_factory=list)  # sources of the versions this one replaced


def _value_text(v) -> str:
    """The exact decimal text DuckDB casts to VALUE_TYPE (never via float)."""
    if not isinstance(v, Decimal):
        v = Decimal(str(v))
    return format(v, "f")


def sync_indicators(con, *, force: bool = False) -> int:
    """Upsert the indicator catalog into `indicator` and recreate the macros (once per connection unless forced);
    rows written."""
    from yearwise.ingest.catalog import load_catalog

    catalog = load_catalog()
    try:
        if not force and _synced.get(con) is catalog:
            return 0
    except TypeError:  # connection type not weak-referenceable: sync every time
        pass
    rows = [{"code": i.code, "name": i.name, "category": i.category, "unit_kind": i.unit_kind,
             "unit": i.unit, "additive": bool(i.additive)} for i in catalog]
    if rows:
        df = pl.DataFrame(rows, schema={"code": pl.String, "name": pl.String, "category": pl.String,
                                        "unit_kind": pl.String, "unit": pl.String, "additive": pl.Boolean})
        with frame_transaction(con, df, "_yw_indicators") as name:
            con.execute(
                f"INSERT INTO indicator (code, name, category, unit_kind, unit, additive) "
                f"SELECT code, name, category, unit_kind, unit, additive FROM {name} "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, "
                "unit_kind = excluded.unit_kind, unit = excluded.unit, additive = excluded.additive")
            create_macros(con)  # pick_rank follows the report families registered now
    try:
        _synced[con] = catalog
    except TypeError:
        pass
    return len(rows)


def _rollback(con) -> None:
    try:
        con.rollback()
    except Exception:  # no transaction left to roll back (e.g. the error ended it)
        pass


def _fact_columns(report) -> dict[str, list]:
    """The report's facts column by column, read straight off the Fact objects (no per-fact dict): the value as
    its exact decimal text, the indicator's name from the catalog where the report gave none. No database
    involved: a bad record fails here, before any BEGIN."""
    facts = report.facts
    if not facts:
        return {k: [] for k in _FACT_SCHEMA}
    cols = {name: list(map(get, facts)) for name, get in _FIELD_GETTERS.items()}
    names = cols["indicator_name"]
    if not all(names):
        from yearwise.ingest.catalog import indicator_name

        cols["indicator_name"] = [n or indicator_name(code) for n, code in zip(names, cols["indicator"])]
    values = cols["value"]
    cols["value"] = (list(map(format, values, itertools.repeat("f"))) if set(map(type, values)) == {Decimal}
                     else [_value_text(v) for v in values])
    return cols


def _facts_frame(columns: list[dict[str, list]]) -> pl.DataFrame:
    """One frame for the facts of several documents: `doc` is the document's place in the list, `rn` the
    fact's place in all of them (the documents' order, then each report's own)."""
    cols = {k: list(itertools.chain.from_iterable(c[k] for c in columns)) if len(columns) > 1 else columns[0][k]
            for k in _FACT_SCHEMA}
    cols["doc"] = list(itertools.chain.from_iterable(
        itertools.repeat(j, len(c["indicator"])) for j, c in enumerate(columns)))
    frame = pl.DataFrame(cols, schema={**_FACT_SCHEMA, "doc": pl.Int64})
    return frame.with_row_index("rn")


def _marks(values) -> str:
    """`?, ?, ?` for an IN list (DuckDB probes the ART index for a list of parameters; a subquery scans)."""
    return ", ".join("?" * len(values))


class _Conflict(Exception):
    """Two documents of one transaction turned out to be versions of one key: load them one at a time."""


def load_report(con, report, *, region: str | None = None) -> LoadResult:
    """Load one Report in one transaction: department, report row, unknown indicators, facts in bulk.

    On any error the transaction is rolled back (nothing of the document is written) and the error raised.
    """
    out = load_batch(con, [report], region=region)[0]
    if isinstance(out, BaseException):
        raise out
    assert out is not None  # without stop_at_error every slot is filled
    return out


def load_reports(con, reports, *, region: str | None = None) -> list[LoadResult]:
    """Load reports in order as load_batch does (few transactions, each document atomic); the first
    document that fails raises its error, and the documents after it are not loaded."""
    reports = list(reports)
    results = load_batch(con, reports, region=region, stop_at_error=True)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return [r for r in results if isinstance(r, LoadResult)]  # a slot is None only after a failure, raised above


def load_batch(con, reports, *, region: str | None = None,
               stop_at_error: bool = False) -> list[LoadResult | Exception | None]:
    """Load several Reports, as if by load_report one after another, in as few transactions as possible.

    Each document is atomic (all of it or nothing, never split across transactions). Documents go into one
    transaction together unless two of them share a sha256 or a department, year and kind (those are split,
    so the later one sees the earlier as 'unchanged' or as a version to supersede). If a transaction fails,
    its documents are loaded again one by one, so a bad one fails alone. Returns, in order, a LoadResult for
    each document (all committed when this returns) or the Exception it failed with; with stop_at_error the
    documents after the first failure are not tried (their slots hold None).
    """
    reports = list(reports)
    out: list[LoadResult | Exception | None] = [None] * len(reports)
    if not reports:
        return out
    settle(con)
    sync_indicators(con)
    docs: list[tuple[int, object, dict[str, list]]] = []
    for i, report in enumerate(reports):
        try:
            docs.append((i, report, _fact_columns(report)))
        except Exception as e:
            out[i] = e
            if stop_at_error:
                break
    for group in _groups(docs):
        try:
            results = _load_group(con, group, region)
        except Exception as e:
            if len(group) == 1:
                out[group[0][0]] = e
                if stop_at_error:
                    return out
                continue
            for doc in group:  # one by one, so a bad document does not take the others down
                try:
                    out[doc[0]] = _load_group(con, [doc], region)[0]
                except Exception as e1:
                    out[doc[0]] = e1
                    if stop_at_error:
                        return out
            continue
        for (i, _, _), result in zip(group, results):
            out[i] = result
    return out


def _key(report, department: int | str | None) -> tuple | None:
    """What makes two documents versions of one report: department (its id; its canonical name in _groups),
    fiscal year, kind and entity level (a consolidated 部门 report and a 单位/本级 report of the same body are
    different reports)."""
    if not department or report.year is None or report.doc_kind == "unknown":
        return None
    return department, report.year, report.doc_kind, _level(report)


def _resolved(source: str) -> str | None:
    """The source as an absolute path (symlinks resolved), so `facts` can say where the file is wherever it is
    queried from; None for a source that is no path (an in-memory text). A folder is resolved once (many files
    share one), the file itself only when it is a link."""
    try:
        folder, name = os.path.split(os.path.abspath(os.path.expanduser(source)))
        if not name or os.path.islink(source):
            return os.path.realpath(os.path.expanduser(source))
        return os.path.join(_real_folder(folder), name)
    except (OSError, ValueError, RuntimeError):
        return None


@lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _level(report) -> str:
    return getattr(report, "entity_level", None) or "department"


def _identity(report) -> str | None:
    return "; ".join(str(e) for e in getattr(report, "evidence", ())) or None


def _flags(report) -> str | None:
    return "; ".join(getattr(report, "flags", ())) or None


def _groups(docs):
    """Runs of documents with no sha256 and no (canonical department, year, kind) twice."""
    group: list = []
    shas: set[str] = set()
    keys: set[tuple] = set()
    for doc in docs:
        report = doc[1]
        name = report.department
        key = _key(report, canonical_department(name) if name and name.strip() else None)
        sha = report.document.sha256
        if sha in shas or (key is not None and key in keys):
            yield group
            group, shas, keys = [], set(), set()
        group.append(doc)
        shas.add(sha)
        if key is not None:
            keys.add(key)
    if group:
        yield group


def _load_group(con, group, region: str | None) -> list[LoadResult]:
    """One transaction for the documents of `group` (no two share a sha256 or a key); their LoadResults."""
    df = _facts_frame([cols for _, _, cols in group])  # a record polars refuses fails the group before BEGIN
    codes = set(itertools.chain.from_iterable(c["indicator"] for _, _, c in group))
    known = _known_codes(con)
    with frame_transaction(con, df, "_yw_facts") as name:
        out = _load(con, [report for _, report, _ in group], [len(c["indicator"]) for _, _, c in group],
                    name, region, new_codes=not codes <= known)
    known |= codes  # committed: rows for these codes exist now
    return out


_codes: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # connection -> indicator codes it committed


def _known_codes(con) -> set:
    """The indicator codes this connection has committed rows for (the catalog's, and those loads added), so a
    batch whose codes are all known skips the statement that adds unknown ones; a fresh set when the connection
    cannot be weak-referenced (every batch then runs it)."""
    try:
        return _codes.setdefault(con, set())
    except TypeError:
        return set()


@contextmanager
def frame_transaction(con, frame: pl.DataFrame, prefix: str):
    """A transaction with `frame` registered under a fresh name (yielded): committed when the block ends,
    rolled back if it raises. The frame is registered outside the transaction: an aborted one refuses even
    unregister."""
    name = f"{prefix}_{next(_names)}"
    con.register(name, frame)
    try:
        con.begin()
        try:
            yield name
            con.commit()
        except BaseException:
            _rollback(con)
            raise
    finally:
        con.unregister(name)


def _load(con, reports, heights: list[int], name: str, region: str | None, *,
          new_codes: bool = True) -> list[LoadResult]:
    """The statements of one transaction: a constant number of round trips however many documents."""
    n = len(reports)
    results: list[LoadResult | None] = [None] * n

    # documents already loaded (same bytes): unchanged
    shas = [r.document.sha256 for r in reports]
    known = {sha: (rid, dep) for sha, rid, dep in con.execute(
        "SELECT r.sha256, r.report_id, d.name FROM report r LEFT JOIN department d USING (department_id) "
        f"WHERE r.sha256 IN ({_marks(shas)})", shas).fetchall()}
    named = [j for j, r in enumerate(reports)
             if r.document.sha256 in known and known[r.document.sha256][1] is None and r.department]
    for j, (dep, dep_name) in zip(named, _department_ids(con, [reports[j].department for j in named], region)):
        # an unidentified report loaded again with its department (`ingest --department`): it joins `facts`
        rid = known[reports[j].document.sha256][0]
        con.execute("UPDATE report SET department_id = ?, flags = ? WHERE report_id = ?", [dep, _flags(reports[j]), rid])
        con.execute("UPDATE fact SET department_id = ? WHERE report_id = ?", [dep, rid])
        known[reports[j].document.sha256] = (rid, dep_name)
    if known:
        rids = [rid for rid, _ in known.values()]
        counts = dict(con.execute(
            f"SELECT report_id, count(*) FROM fact WHERE report_id IN ({_marks(rids)}) GROUP BY ALL", rids).fetchall())
        for j, r in enumerate(reports):
            if r.document.sha256 in known:
                rid, dep = known[r.document.sha256]
                results[j] = LoadResult(r.document.source, dep, r.year, r.doc_kind, counts.get(rid, 0),
                                        "identified" if j in named else "unchanged")
    new = [j for j in range(n) if results[j] is None]
    if not new:
        return _filled(results)

    # departments, then the current reports each new document may be a new version of
    deps = _department_ids(con, [reports[j].department for j in new], region)
    dep_of = dict(zip(new, deps))
    keys: dict[tuple, int] = {}
    for j in new:
        key = _key(reports[j], dep_of[j][0])
        if key is not None:
            if key in keys:
                raise _Conflict(f"{reports[keys[key]].source} and {reports[j].source} share department, year and kind")
            keys[key] = j
    earlier: dict[int, list[tuple[int, str]]] = {}
    if keys:
        dep_ids = sorted({k[0] for k in keys})
        for rid, source, dep, year, kind, level in con.execute(
                "SELECT report_id, source, department_id, fiscal_year, doc_kind, entity_level FROM report "
                f"WHERE status = 'current' AND department_id IN ({_marks(dep_ids)}) ORDER BY report_id",
                dep_ids).fetchall():
            at = keys.get((dep, year, kind, level))
            if at is not None:
                earlier.setdefault(at, []).append((rid, source))
        earlier = _versions_of(con, name, earlier)

    ids = sorted(i for (i,) in con.execute(
        f"SELECT nextval('{report_id_seq.name}') FROM range(?)", [len(new)]).fetchall())
    # what the text says about its version; a report read back from an exported dataset (no text) carries it
    evidence = {j: getattr(reports[j], "version", None) or version_evidence(reports[j].document.text) for j in new}
    rows = []
    for report_id, j in zip(ids, new):
        r, doc = reports[j], reports[j].document
        warnings = "; ".join(getattr(r, "warnings", None) or ()) or None
        rows.append((report_id, doc.sha256, doc.source, _resolved(doc.source), r.doc_kind, dep_of[j][0], r.year,
                     doc.pages, doc.format, r.parser_version or parser_version(), _level(r), _identity(r), _flags(r),
                     warnings, evidence[j].stated_date, evidence[j].correction))
    insert_columns(con, f"INSERT INTO report ({', '.join(c for c, _ in _REPORT_INSERT)}, status) SELECT *, 'current'",
                   [t for _, t in _REPORT_INSERT], rows)
    report_of = dict(zip(new, ids))
    earlier, older = _decide_versions(con, earlier, evidence)
    for j, versions in earlier.items():
        if versions:
            con.execute(
                "UPDATE report SET status = 'superseded', superseded_by = ? WHERE report_id IN "
                f"({', '.join('?' * len(versions))})", [report_of[j], *(rid for rid, _ in versions)])
    for j, newer in older.items():
        con.execute("UPDATE report SET status = 'superseded', superseded_by = ? WHERE report_id = ?",
                    [newer, report_of[j]])

    with_facts = [j for j in new if heights[j]]
    if with_facts:
        _insert_facts(con, name, with_facts, [report_of[j] for j in with_facts],
                      [dep_of[j][0] for j in with_facts], [reports[j].year for j in with_facts], new_codes=new_codes)
    from yearwise.warehouse.checks import record_restatements, record_table_sums

    record_restatements(con, [(report_of[j], reports[j]) for j in new])
    record_table_sums(con, [(report_of[j], reports[j]) for j in new])
    for j in new:
        r, versions = reports[j], earlier.get(j, [])
        status = "superseded" if j in older else "replaced" if versions else "loaded"
        results[j] = LoadResult(r.document.source, dep_of[j][1], r.year, r.doc_kind, heights[j],
                                status, [src for _, src in versions])
    return _filled(results)


def _filled(results: list[LoadResult | None]) -> list[LoadResult]:
    """The results of a transaction once every document has one (unchanged, identified or loaded)."""
    out = [r for r in results if r is not None]
    assert len(out) == len(results)
    return out


def _decide_versions(con, earlier: dict[int, list[tuple[int, str]]], evidence: dict) -> tuple[dict, dict]:
    """Which of each new document's earlier versions it supersedes, and which new documents an earlier version
    supersedes: decided by what the documents say (the date they state, then a 更正/修订 mark), never by the
    order they came in. Versions nothing decides between both stay current (a version.conflict check fails
    where their figures differ)."""
    rids = sorted({rid for versions in earlier.values() for rid, _ in versions})
    if not rids:
        return earlier, {}
    old = {rid: VersionEvidence(d, bool(c)) for rid, d, c in con.execute(
        f"SELECT report_id, stated_date, correction FROM report WHERE report_id IN ({_marks(rids)})", rids).fetchall()}
    superseded: dict[int, list[tuple[int, str]]] = {}
    older: dict[int, int] = {}
    for j, versions in earlier.items():
        superseded[j] = []
        for rid, source in versions:
            verdict = later_version(evidence[j], old[rid])
            if verdict > 0:
                superseded[j].append((rid, source))
            elif verdict < 0:
                older[j] = rid
    return superseded, older


def _department_ids(con, names: list[str | None], region: str | None) -> list[tuple[int | None, str | None]]:
    """(department_id, canonical name) for each name, as department_id() one after another would give them, in a
    constant number of statements however many names are new: the spelling's own alias first, then its canonical
    form's, then a department of that canonical name; the rest are created in one INSERT, every spelling and
    canonical form is recorded as an alias in one more, and a region given is set where none was."""
    from yearwise.warehouse.departments import kind_of, region_of

    wanted = sorted({n for n in names if n and n.strip()})
    if not wanted:
        return [(None, None)] * len(names)
    canonical = {n: canonical_department(n) for n in wanted}
    spellings = sorted(set(wanted) | set(canonical.values()))
    dep_names: dict[int, str] = {}
    alias: dict[str, int] = {}
    for a, d, d_name in con.execute(
            "SELECT a.alias, a.department_id, d.name FROM department_alias a LEFT JOIN department d "
            f"USING (department_id) WHERE a.alias IN ({_marks(spellings)})", spellings).fetchall():
        alias[a] = d
        dep_names[d] = d_name
    known = {n: alias.get(n, alias.get(canonical[n])) for n in wanted}
    missing = sorted({canonical[n] for n in wanted if known[n] is None})
    by_name: dict[str, int] = {}
    if missing:
        by_name = dict(con.execute(f"SELECT name, department_id FROM department WHERE name IN ({_marks(missing)})",
                                   missing).fetchall())
        new = [c for c in missing if c not in by_name]
        if new:
            params = [x for c in new for x in (c, region or region_of(c), kind_of(c))]
            by_name.update(con.execute("INSERT INTO department (name, region, kind) VALUES "
                                       + ", ".join(["(?, ?, ?)"] * len(new)) + " RETURNING name, department_id",
                                       params).fetchall())
        dep_names.update((d, c) for c, d in by_name.items())
    dep = {n: by_name[canonical[n]] if d is None else d for n, d in known.items()}
    fresh: dict[str, int] = {}
    for n in wanted:
        for a in (n, canonical[n]):
            if a not in alias:
                fresh.setdefault(a, dep[n])
    pairs = sorted(fresh.items())
    if pairs:
        con.execute("INSERT INTO department_alias (alias, department_id) VALUES " + ", ".join(["(?, ?)"] * len(pairs))
                    + " ON CONFLICT (alias) DO NOTHING", [x for p in pairs for x in p])
    ids = sorted(set(dep.values()))
    if region:
        con.execute(f"UPDATE department SET region = ? WHERE region IS NULL AND department_id IN ({_marks(ids)})",
                    [region, *ids])
    return [(dep[n], dep_names.get(dep[n])) if n in dep else (None, None) for n in names]


# a document that states at least this share of another's figures is a new version of it; less, and it is a
# companion (the 表格 file beside the 文件 of a Jiangsu budget) that stays current beside it
VERSION_OVERLAP = 0.5


def _versions_of(con, name: str, earlier: dict[int, list[tuple[int, str]]]) -> dict[int, list[tuple[int, str]]]:
    """For each new document (its `doc` in frame `name`), those of its earlier current reports (same department,
    year and kind) that it restates, figure for figure; one query for all documents."""
    if not earlier:
        return {}
    docs = sorted(earlier)
    pair_doc = [j for j in docs for _ in earlier[j]]
    pair_rid = [rid for j in docs for rid, _ in earlier[j]]
    new_total = dict(con.execute(
        f"SELECT doc, count(DISTINCT (indicator, CAST(value AS {VALUE_TYPE}))) FROM {name} "
        "WHERE doc IN (SELECT unnest(?::BIGINT[])) GROUP BY doc", [docs]).fetchall())
    overlap = {(j, rid): (total, shared) for j, rid, total, shared in con.execute(
        "SELECT p.doc, p.rid, count(*), count(n.doc) "
        "FROM (SELECT unnest(?::BIGINT[]) AS doc, unnest(?::BIGINT[]) AS rid) p "
        "JOIN (SELECT DISTINCT report_id, indicator_code, value FROM fact "
        f"      WHERE report_id IN ({_marks(pair_rid)})) e ON e.report_id = p.rid "
        f"LEFT JOIN (SELECT DISTINCT doc, indicator, CAST(value AS {VALUE_TYPE}) AS v FROM " + name + " "
        "           WHERE doc IN (SELECT unnest(?::BIGINT[]))) n "
        "ON n.doc = p.doc AND n.indicator = e.indicator_code AND n.v = e.value "
        "GROUP BY p.doc, p.rid", [pair_doc, pair_rid, *pair_rid, docs]).fetchall()}
    out = {}
    for j in docs:
        versions = []
        for rid, source in earlier[j]:
            total, shared = overlap.get((j, rid), (0, 0))
            smaller = min(total, new_total.get(j, 0))
            if smaller == 0 or shared >= VERSION_OVERLAP * smaller:
                versions.append((rid, source))
        out[j] = versions
    return out


def _insert_facts(con, name: str, docs: list[int], report_ids: list[int], dep_ids: list, years: list, *,
                  new_codes: bool = True) -> None:
    """Unknown indicator codes get a row named by their first fact (unless the caller knows there are none:
    `new_codes` false); then every fact of the documents `docs` (their `doc` in frame `name`) in one
    INSERT ... SELECT, in the documents' order (the frame's: DuckDB preserves insertion order by default)."""
    if new_codes:
        con.execute(
            "INSERT INTO indicator (code, name, category, unit_kind, unit, additive) "
            "SELECT indicator, arg_min(coalesce(nullif(indicator_name, ''), indicator), rn), "
            "split_part(indicator, '.', 1), "
            "CASE arg_min(unit, rn) " + " ".join(f"WHEN '{u}' THEN '{k}'" for u, k in UNIT_KINDS.items())
            + " ELSE 'count' END, arg_min(unit, rn), false "
            f"FROM {name} WHERE doc IN (SELECT unnest(?::BIGINT[])) "
            "AND indicator NOT IN (SELECT code FROM indicator) GROUP BY indicator "
            "ON CONFLICT (code) DO NOTHING", [docs])
    # each document's report, department and year as lists indexed by its `doc` (no join: a list look-up per row)
    size = max(docs) + 1
    by_doc: list[list] = [[None] * size for _ in range(3)]
    for j, *values in zip(docs, report_ids, dep_ids, years):
        for column, v in zip(by_doc, values):
            column[j] = v
    con.execute(
        f"INSERT INTO fact (report_id, department_id, {_INSERT_COLUMNS}) "
        f"SELECT m.report_id[n.doc + 1], m.department_id[n.doc + 1], {_INSERT_VALUES} "
        f"FROM {name} n, (SELECT ?::BIGINT[] AS report_id, ?::BIGINT[] AS department_id, ?::BIGINT[] AS year) m "
        "WHERE m.report_id[n.doc + 1] IS NOT NULL", by_doc)
