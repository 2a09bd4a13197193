"""The Python API that notebooks and the CLI share: ingest files, run canned queries and SQL, draw charts."""

from __future__ import annotations

import glob
import os
import re
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import polars as pl

from yearwise.warehouse.results import frame

if TYPE_CHECKING:
    import duckdb


class YearwiseError(Exception):
    """A user-facing failure; str() is one line fit for stderr."""


class ReadOnlyError(YearwiseError):
    """SQL that would change the warehouse, sent without write=True / --write."""


@dataclass
class IngestRow:
    """What happened to one file: loaded, unchanged, replaced (with what it superseded) or failed."""

    file: str
    department: str | None = None
    year: int | None = None
    doc_kind: str | None = None
    facts: int = 0
    status: str = "failed"  # loaded | unchanged | replaced | superseded | identified | failed
    superseded: list[str] = field(default_factory=list)
    error: str = ""
    warnings: list[str] = field(default_factory=list)  # loaded but flagged: bytes replaced, values refused

    @property
    def flagged(self) -> bool:
        return bool(self.warnings) and not self.failed

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def status_text(self) -> str:
        """The status as one line: `failed: cause`, `replaced: a, b`, or the bare status."""
        if self.failed:
            return f"failed: {self.error}"
        text = self.status
        if self.status == "replaced" and self.superseded:
            text = f"replaced: {', '.join(self.superseded)}"
        if self.warnings:
            text += f" (flagged: {'; '.join(self.warnings)})"
        return text


@dataclass
class IngestSummary:
    """One row per file given to `Warehouse.ingest`, in order."""

    rows: list[IngestRow] = field(default_factory=list)

    @property
    def failed(self) -> list[IngestRow]:
        return [r for r in self.rows if r.failed]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def unidentified(self) -> list[IngestRow]:
        """Files loaded without a department: their facts are in `unidentified_facts`, not in `facts`."""
        return [r for r in self.rows if not r.failed and not (r.department and r.department.strip())]

    @property
    def facts(self) -> int:
        return sum(r.facts for r in self.rows)

    def to_frame(self) -> pl.DataFrame:
        """The rows as a polars DataFrame (file, department, year, doc_kind, facts, status, superseded, error,
        warnings)."""
        return pl.DataFrame(
            [{"file": r.file, "department": r.department, "year": r.year, "doc_kind": r.doc_kind,
              "facts": r.facts, "status": r.status, "superseded": ", ".join(r.superseded), "error": r.error,
             "warnings": "; ".join(r.warnings)}
             for r in self.rows],
            schema={"file": pl.Utf8, "department": pl.Utf8, "year": pl.Int64, "doc_kind": pl.Utf8,
                    "facts": pl.Int64, "status": pl.Utf8, "superseded": pl.Utf8, "error": pl.Utf8,
                    "warnings": pl.Utf8})

    def __repr__(self) -> str:
        return f"IngestSummary({len(self.rows)} files, {len(self.failed)} failed, {self.facts} facts)"


def _skipped(path: Path) -> bool:
    """Label files, READMEs and JSONL sit beside reports in folders and are no reports."""
    name = path.name.lower()
    return (name.startswith(("readme", "labels", ".")) or ".labels" in name or name.endswith(".jsonl")
            or "labels" in (p.lower() for p in path.parts[:-1]))


def expand_paths(paths: Iterable[str | os.PathLike | IngestRow] | str | os.PathLike) -> list[Path | IngestRow]:
    """Files from files, folders (recursive, supported extensions) and globs, deduplicated, in order.

    A path that names nothing comes back as a failed IngestRow, so the caller can report it in place.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path | IngestRow] = []
    seen: set[str] = set()

    def add(p: Path):
        key = str(p.resolve())
        if key not in seen:
            seen.add(key)
            out.append(p)

    for given in paths:
        if isinstance(given, IngestRow):  # an already reported failure passes through
            out.append(given)
            continue
        text = os.fspath(given)
        p = Path(text).expanduser()
        if p.is_file():
            add(p)
        elif p.is_dir():
            for f in _folder_files(p, out):
                add(f)
        elif glob.has_magic(text):
            hits = sorted(Path(h) for h in glob.glob(os.path.expanduser(text), recursive=True))
            files = [h for h in hits if h.is_file() and not _skipped(h)]
            for h in hits:
                if h.is_dir():
                    files += _folder_files(h, out)
            if not files:
                out.append(IngestRow(file=text, error="no files match this pattern"))
            for f in files:
                add(f)
        else:
            out.append(IngestRow(file=text, error="no such file or folder"))
    return out


def _folder_files(root: Path, failures: list) -> list[Path]:
    """Supported files under `root`, sorted; a subfolder that cannot be listed becomes a failed IngestRow in
    `failures` (never skipped in silence)."""
    from yearwise.ingest.readers import REPORT_SUFFIXES as supported  # report formats and saved web pages

    found: list[Path] = []

    def unreadable(e: OSError):
        failures.append(IngestRow(file=display_path(e.filename or root),
                                  error=f"cannot read folder: {e.strerror or e}"))

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs.sort()
        for name in names:
            f = Path(folder) / name
            if f.suffix.lower() in supported and not _skipped(f.relative_to(root)) and f.is_file():
                found.append(f)
    return sorted(found)


def display_path(path) -> str:
    """A path as readable text (GBK bytes in a name decoded, see ingest.readers.readable_path)."""
    text = os.fspath(path)
    if isinstance(text, str) and not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    from yearwise.ingest.readers import readable_path

    return readable_path(path)


def _one_line(e: BaseException) -> str:
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg


def extract_file(path, *, department=None, year=None, doc_kind=None):
    """ingest.extract with the doc_kind hint checked first, so a typo is one clear error, not a silent kind."""
    from yearwise import ingest
    from yearwise.ingest.model import DOC_KINDS

    if doc_kind is not None and doc_kind not in DOC_KINDS:
        raise YearwiseError(f"unknown document kind {doc_kind!r} (kinds: {', '.join(DOC_KINDS)})")
    return ingest.extract(path, department=department, year=year, doc_kind=doc_kind)


def _warehouse():
    from yearwise import warehouse

    return warehouse


def _open(path: str, read_only: bool = False, allow_files: bool | None = None):
    return _warehouse().connect(path, read_only=read_only, allow_files=allow_files)


class Warehouse:
    """A yearwise warehouse file: `Warehouse("x.duckdb").ingest("reports/")`, then `.run("budget_trend")`.

    Connections are opened per call and closed after, so a notebook and the CLI can share one file.
    """

    # what yearwise.demo loaded into the demo warehouse it returns (None on any other warehouse)
    demo_summary: IngestSummary | None = None
    demo_sources: dict[str, list[str]] | None = None

    def __init__(self, path: str | os.PathLike | None = None, *, allow_files: bool | None = None):
        """`allow_files` lets SQL read and write other files and load DuckDB extensions (default off, or
        $YEARWISE_ALLOW_FILES); without it SQL sees the warehouse only."""
        path = path if path is not None else _warehouse().default_path()  # $YEARWISE_DB or ./yearwise.duckdb
        self.path = os.fspath(path)
        self.allow_files = allow_files
        self._memory_con: duckdb.DuckDBPyConnection | None = None

    def __repr__(self) -> str:
        return f"Warehouse({self.path!r})"

    # -- connections -------------------------------------------------------------------------

    @property
    def in_memory(self) -> bool:
        return self.path in (":memory:", "")

    @contextmanager
    def connect(self, *, read_only: bool = False):
        """A DuckDB connection to this warehouse for one block; read_only where the file allows it."""
        if self.in_memory:
            if self._memory_con is None:
                self._memory_con = _open(":memory:", allow_files=self.allow_files)
            self._memory_con.complete()
            yield self._memory_con
            return
        try:
            con = _open(self.path, read_only=read_only, allow_files=self.allow_files)
        except _warehouse().WarehouseError as e:
            if not (read_only and "already open writable" in str(e)):
                raise
            # this process holds the file writable (a notebook's own connection): DuckDB allows one mode
            # per file per process, so read through a writable one; sql() then checks and rolls back itself
            con = _open(self.path, allow_files=self.allow_files)
        con.complete()  # DuckDB 2: a half-read result from opening (e.g. fetchone) blocks new work
        try:
            yield con
        finally:
            con.close()

    @cached_property
    def engine(self):
        """A SQLAlchemy engine on this warehouse (for pandas/SQLAlchemy users)."""
        return _warehouse().engine(self.path, allow_files=self.allow_files)

    # -- ingest ------------------------------------------------------------------------------

    def expand(self, paths) -> list[Path | IngestRow]:
        """The files `ingest` would read for `paths` (see expand_paths)."""
        return expand_paths(paths)

    def ingest(self, paths, *, department: str | None = None, year: int | None = None,
               doc_kind: str | None = None,
               progress: Callable[[int, int, IngestRow], None] | None = None,
               workers: int | None = None, timeout: float | None = None,
               cluster: str | None = None) -> IngestSummary:
        """Extract and load files, folders and globs over one connection; each file is atomic.

        Files are extracted by `workers` processes (default 1: in this process, since worker processes import
        a script's main module, which then needs the `if __name__ == "__main__":` guard; fewer than
        POOL_MIN_FILES files are extracted here anyway, where starting workers costs more than it saves; the
        CLI uses every core, see ingest.pool.default_workers) or on the Dask cluster
        whose scheduler is at `cluster`; a file that raises, dies or runs past `timeout` seconds (default
        ingest.pool.DEFAULT_TIMEOUT) fails alone. This process loads the results, in the files' order, in
        batches, several to a transaction (see warehouse.load.load_batch: a file is never split across
        transactions, and if a batch fails its files are loaded one by one, so a bad file fails alone). A file
        that fails becomes a failed row with a one-line cause; the others still load. A row is final, and
        `progress(done, total, row)` called for it, only once its batch has committed, so progress comes in
        steps of up to INGEST_BATCH files. WarehouseBusy propagates.
        """
        from yearwise.ingest.model import DOC_KINDS

        if doc_kind is not None and doc_kind not in DOC_KINDS:
            raise YearwiseError(f"unknown document kind {doc_kind!r} (kinds: {', '.join(DOC_KINDS)})")
        _checks_file()  # a broken rule file (the user's own, say) is one error, not a failure per file
        items = expand_paths(paths)
        summary = IngestSummary()
        total = len(items)
        from yearwise.ingest.pool import Hints

        with self.connect() as con, closing(_extracted(items, Hints(department, year, doc_kind),
                                                       workers, timeout, cluster)) as extracted, \
                _figures().refreshed(con) as touched:
            batch = _IngestBatch(con, summary, total, progress)
            for row, report in extracted:
                batch.add(row, report)
            batch.flush()
            touched.update(_check_departments(con, summary, _check_workers(workers, cluster)))
        return summary

    def reextract(self) -> list:
        """Extract again every report whose parser_version is not the current one (the extraction code, rules or
        catalog changed) and replace its facts; a warehouse.reextract.Reextraction per report, with the facts
        removed and added."""
        from yearwise.warehouse.reextract import reextract

        _checks_file()
        with self.connect() as con, _figures().refreshed(con) as touched:
            done = reextract(con)
            touched.update(_department_ids(con, [r.report_id for r in done]))
            return done

    def export(self, out) -> tuple[int, int]:
        """Write every report and fact to the folder `out` as a Parquet dataset partitioned by year and province
        (warehouse.dataset; DuckDB, Spark and Trino read it); (reports, facts) written."""
        from yearwise.warehouse.dataset import DatasetError, export_dataset

        with self.connect(read_only=True) as con:
            try:
                return export_dataset(con, out)
            except DatasetError as e:
                raise YearwiseError(str(e)) from None

    def load(self, dataset, *, progress: Callable[[int, int, IngestRow], None] | None = None,
             workers: int | None = None) -> IngestSummary:
        """Load a dataset written by `export` (from this or other warehouses): its reports in their load order,
        through the same loader and checks as `ingest`, so versions resolve as they would have; a row per report.
        The checks of the departments it touched run on `workers` processes (default 1: here; see ingest)."""
        from yearwise.warehouse.dataset import (DatasetError, dataset_size, read_reports, restore_restatements,
                                                restore_table_sums)

        summary = IngestSummary()
        _checks_file()
        try:
            total = dataset_size(dataset)
            with self.connect() as con, _figures().refreshed(con) as touched:
                batch = _IngestBatch(con, summary, total, progress, companions=False)
                for report in read_reports(dataset):
                    batch.add(IngestRow(file=report.source, department=report.department, year=report.year,
                                        doc_kind=report.doc_kind), report)
                batch.flush()
                restore_restatements(con, dataset)
                restore_table_sums(con, dataset)
                touched.update(_check_departments(con, summary, _check_workers(workers, None)))
        except DatasetError as e:
            raise YearwiseError(str(e)) from None
        return summary

    # -- reading -----------------------------------------------------------------------------

    def run(self, name: str, **params) -> pl.DataFrame:
        """Run canned query `name` (see `yearwise queries`) with params; a polars DataFrame.

        Parameters are checked against the warehouse first (yearwise.params): a department may be any spelling
        the warehouse knows (alias, traditional, 管委会) and is resolved to its canonical name; an unknown
        department, indicator or year, or from_year after to_year, raises ParamError with the closest matches."""
        from yearwise.params import check
        from yearwise.queries import get_query, run_query

        spec = get_query(name)
        with self.connect(read_only=True) as con:
            return run_query(con, name, **check(con, spec, params))

    def sql(self, query: str, *, write: bool = False, params: dict | None = None) -> pl.DataFrame:
        """Run SQL; statements that change anything are refused unless write=True (ReadOnlyError).

        Read-only is decided by what each statement does (DuckDB's own parse tree), and enforced twice where
        it can be: on a read-only connection DuckDB refuses writes itself; where this process already holds
        the file writable (or on ':memory:') the statements must be proven reads and run in a transaction
        that is rolled back."""
        if not write:
            unproven = check_read_only(query)  # refuses what parses as a write before opening anything
        with self.connect(read_only=not write) as con:
            if write:
                with _file_access_refused():
                    # run each statement; the last one's rows (if any) come back
                    statements = con.extract_statements(query)
                    for st in statements[:-1]:
                        con.execute(st.query)
                        con.complete()
                    last = statements[-1].query if statements else query
                    try:
                        return _frame(con.sql(last, params=params) if params else con.sql(last))
                    finally:
                        if _writes(query):  # a write no stamp may see (an UPDATE of a value, say): the canned
                            _figures().forget(con)  # queries' picks are made again on next use
            if _warehouse().is_read_only(con):
                return _read_rows(con, query, params)
            unproven = unproven or _binder_writes(con, query)
            if unproven:
                raise ReadOnlyError(f"refused: {unproven} cannot be proven read-only while this process holds "
                                    "the warehouse writable; close the writable connection, or rerun with "
                                    "--write (Python: sql(..., write=True))")
            con.begin()
            try:
                return _read_rows(con, query, params)
            finally:
                con.rollback()

    def chart(self, name: str, **params):
        """An Altair chart of canned query `name` with params (CJK font configured)."""
        from yearwise.charts import chart_for

        return chart_for(name, self.run(name, **params), params)

    def report(self, out: str | os.PathLike = "yearwise-report", *, department: str | list[str] | None = None):
        """Write the static report site into folder `out` and return its SiteSummary (`.index` is the page to open).

        An index (departments x years, checks, search), a page per department (charts, indicators by year, its
        reports) and a review page per document (every fact highlighted in the text, PDF pages drawn with
        table-cell boxes). `department` (any known spelling, or a list) limits the site to those departments.
        The site opens from disk and requests nothing from the network."""
        from yearwise.pages import build_site

        with self.connect(read_only=True) as con:
            return build_site(con, out, self._department_names(con, department))

    def department_page(self, department: str, *, site: str | os.PathLike | None = None):
        """One department's report page, shown inline in a notebook (styles and font embedded).

        Fact links point into the review pages of the site written by `report(site)` when `site` is given."""
        from yearwise.pages import department_page
        from yearwise.params import resolve_department

        docs = (Path(site).resolve() / "docs").as_uri() if site is not None else "docs"
        with self.connect(read_only=True) as con:
            return department_page(con, resolve_department(con, department), docs_prefix=docs)

    @staticmethod
    def _department_names(con, department) -> list[str] | None:
        """Canonical names for the given spellings; an unknown one is a ParamError naming the closest matches."""
        from yearwise.params import resolve_department

        if department is None:
            return None
        return [resolve_department(con, d) for d in ([department] if isinstance(department, str) else department)]

    def departments(self) -> pl.DataFrame:
        """Departments in the warehouse with their years, fact and document counts."""
        return self.sql(
            "SELECT f.department, min(f.year) AS first_year, max(f.year) AS last_year, "
            "count(DISTINCT f.year) AS years, count(DISTINCT f.source) AS documents, count(*) AS facts, "
            "(SELECT string_agg(a.alias, ', ' ORDER BY a.alias) FROM department_alias a "
            " JOIN department d USING (department_id) WHERE d.name = f.department AND a.alias <> d.name) AS aliases "
            "FROM facts f GROUP BY f.department ORDER BY f.department NULLS LAST")

    def conflicts(self, indicator: str | None = None) -> pl.DataFrame:
        """Department-year-indicator-measures with more than one value among current facts (the `conflicts`
        view): the values, each value's quote and the sources; optionally for one indicator."""
        where = "WHERE indicator = $indicator " if indicator else ""
        return self.sql(
            "SELECT department, year, indicator, measure, period, scope, entity_level, n_values, "
            "array_to_string(distinct_values, ' | ') AS \"values\", array_to_string(quotes, ' | ') AS quotes, "
            f"array_to_string(sources, ' | ') AS sources FROM conflicts {where}"
            "ORDER BY department, year, indicator, measure", params={"indicator": indicator} if indicator else None)

    def check(self, *, department: str | None = None, year: int | None = None, status: str | None = None,
              evaluate: bool = True, workers: int | None = None) -> pl.DataFrame:
        """The consistency checks (yearwise.warehouse.checks): one row per check with check, status, department,
        year, indicator, stated, expected, difference, the message, and the quotes and sources of every fact
        involved. With evaluate (the default) the checks of the department (or of all) are evaluated first, those
        of all on `workers` processes (default 1: here; worker processes need a script's main-module guard, as
        in ingest); `status` keeps rows of those statuses (comma-separated: fail,doubtful)."""
        from yearwise.warehouse.checks import STATUSES, run_checks

        wanted = [s.strip() for s in (status or "").split(",") if s.strip()]
        bad = [s for s in wanted if s not in STATUSES]
        if bad:
            raise YearwiseError(f"unknown check status {', '.join(bad)} (statuses: {', '.join(STATUSES)})")
        if evaluate:
            _checks_file()
        with self.connect(read_only=not evaluate) as con:
            dep_id = None
            if department is not None and department.strip():
                from yearwise.params import resolve_department  # any spelling; unknown: the closest matches

                department = resolve_department(con, department)
                dep_id = con.execute("SELECT department_id FROM department WHERE name = ?",
                                     [department]).fetchall()[0][0]
            if evaluate:
                with _figures().refreshed(con) as touched:  # a doubted value is picked last (warehouse.figures)
                    every = _all_department_ids(con) if dep_id is None else [dep_id]
                    if dep_id is not None or not _checked_on_workers(con, every, _check_workers(workers, None)):
                        run_checks(con, None if dep_id is None else [dep_id])
                    touched.update(every)
            return con.sql(
                'SELECT c."check", c.status, d.name AS department, c.year, c.indicator, c.stated, c.expected, '
                "c.difference, c.tolerance, c.message, c.category, c.doc_kind, c.\"table\", c.row_code, "
                "c.\"column\", "
                "list(f.quote ORDER BY cf.position) AS quotes, "
                "list(DISTINCT r.source ORDER BY r.source) AS sources, "
                "list(f.fact_id ORDER BY cf.position) AS fact_ids, c.check_id "
                "FROM checks c LEFT JOIN department d USING (department_id) "
                "LEFT JOIN check_fact cf USING (check_id) LEFT JOIN fact f USING (fact_id) "
                "LEFT JOIN report r ON r.report_id = f.report_id "
                "WHERE ($dep IS NULL OR c.department_id = $dep) AND ($year IS NULL OR c.year = $year) "
                "AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], c.status)) "
                "GROUP BY ALL ORDER BY d.name, c.year, c.category, c.\"check\", c.indicator, c.check_id",
                params={"dep": dep_id, "year": year, "statuses": wanted}).pl()

    def indicators(self) -> pl.DataFrame:
        """Indicators in the warehouse with their name, units and how widely they are reported."""
        return self.sql(
            "SELECT indicator, any_value(indicator_name) AS indicator_name, "
            "string_agg(DISTINCT unit, ',' ORDER BY unit) AS units, "
            "count(DISTINCT department) AS departments, count(DISTINCT year) AS years, count(*) AS facts "
            "FROM facts GROUP BY indicator ORDER BY indicator")


@contextmanager
def _file_access_refused():
    """A file, URL or extension the connection may not reach becomes one clear YearwiseError."""
    import duckdb

    try:
        yield
    except duckdb.CatalogException as e:
        if "extension" not in str(e) or "INSTALL" not in str(e):
            raise
        raise YearwiseError(f"refused: SQL loads no DuckDB extension unless you allow it "
                            f"({_one_line(e).split(' Please ')[0]}); rerun with --allow-files "
                            "(Python: Warehouse(..., allow_files=True)) to allow it") from None
    except duckdb.PermissionException as e:
        raise YearwiseError(f"refused: SQL may reach only the warehouse, not other files, URLs or extensions "
                            f"({_one_line(e).split(' - ')[0]}); rerun with --allow-files "
                            "(Python: Warehouse(..., allow_files=True)) to allow it") from None


def _binder_writes(con, query: str) -> str | None:
    """A second opinion from DuckDB's binder on this very connection (DuckDB 2 says whether a statement writes,
    through a writing CTE or a sequence's nextval); the first such statement's verb, else None."""
    import duckdb

    try:
        from duckdb import _seam

        for st in con.extract_statements(query):
            if _seam.bind(con, st).writes:
                return st.query.strip().split(None, 1)[0].upper()
    except (ImportError, AttributeError, TypeError):  # an older or newer DuckDB without this binder seam
        return None
    except duckdb.Error:  # does not bind: running it reports the error
        return None
    return None


def _frame(rel) -> pl.DataFrame:
    """A relation's rows as polars; INTERVAL columns (polars cannot import them) come as their text."""
    if rel is None:
        return pl.DataFrame()
    types = [str(t).upper() for t in rel.types]
    if any(t.startswith("INTERVAL") for t in types):
        cols = [f'CAST("{c}" AS VARCHAR) AS "{c}"' if t.startswith("INTERVAL") else f'"{c}"'
                for c, t in zip((c.replace('"', '""') for c in rel.columns), types)]
        rel = rel.project(", ".join(cols))
    return frame(rel)


def _read_rows(con, query: str, params) -> pl.DataFrame:
    """The rows of a read-only query."""
    with _file_access_refused():
        return _frame(con.sql(query, params=params) if params else con.sql(query))


# a batch of extracted files is loaded (one transaction) once it holds this many files or facts, or once its
# first file has waited this long (so a slow run of PDFs still commits, and reports progress, as it goes)
INGEST_BATCH = 100
INGEST_BATCH_FACTS = 50_000
INGEST_BATCH_SECONDS = 2.0


class _IngestBatch:
    """Rows waiting, in order, for their files to be loaded; flush() loads them and reports each row."""

    def __init__(self, con, summary: IngestSummary, total: int, progress, companions: bool = True):
        self.con, self.summary, self.total, self.progress = con, summary, total, progress
        self.companions = companions  # name narratives by the tables of their companion files (ingest, not load)
        self.rows: list[tuple[IngestRow, object]] = []
        self.reports = self.facts = 0
        self.since = 0.0

    def add(self, row: IngestRow, report) -> None:
        import time

        if report is not None:
            if not self.reports:
                self.since = time.monotonic()
            self.reports += 1
            self.facts += len(report.facts)
        self.rows.append((row, report))
        if (not self.reports or self.reports >= INGEST_BATCH or self.facts >= INGEST_BATCH_FACTS
                or time.monotonic() - self.since >= INGEST_BATCH_SECONDS):
            self.flush()

    def flush(self) -> None:
        wh = _warehouse()
        from yearwise.warehouse.companions import name_earlier_narratives, printed_names, with_companion_subjects
        from yearwise.warehouse.load import load_batch
        from yearwise.warehouse.memory import trim_cache

        reports = [report for _, report in self.rows if report is not None]
        if reports:
            printed = printed_names(reports)
            try:
                # a narrative's 款/项 lines named by the tables of its companion file (warehouse.companions)
                results = load_batch(self.con, with_companion_subjects(self.con, reports, printed))
            except wh.WarehouseBusy:
                raise
            except Exception as e:  # not one document's fault (e.g. the connection broke): all of them failed
                results = [e] * len(reports)
            loaded = iter(results)
            done = [r for r, result in zip(reports, results) if not isinstance(result, BaseException)]
            if self.companions and done:
                # narratives of an earlier batch, named by the tables just loaded
                name_earlier_narratives(self.con, done, printed_names(done) if len(done) < len(reports) else printed)
            trim_cache(self.con)  # a long run's memory stays flat (warehouse.memory)
        for row, report in self.rows:
            if report is not None:
                _fill(row, next(loaded))
            self.summary.rows.append(row)
            if self.progress is not None:
                self.progress(len(self.summary.rows), self.total, row)
        self.rows.clear()
        self.reports = self.facts = 0


def _checks_file() -> None:
    """Read every rule file once (checks, catalog, families, tables; the user's own included), before any file of a
    run: a bad one (YEARWISE_CHECKS naming a malformed or invalid file, say) stops the run with one line naming it
    and the cause, instead of failing every file's load."""
    from yearwise.ingest.rules import RuleError, check_rule_files

    try:
        check_rule_files()
    except RuleError as e:
        raise YearwiseError(str(e)) from None


# the checks after an ingest run this many departments at a time, so their facts are never all in memory at once
CHECK_DEPARTMENTS = 50
# with several workers, checks run on worker processes (warehouse.check_pool) when the departments to check have
# at least this many facts: starting the workers costs about what they save near 20,000 facts (2.2 s either way
# on 2 cores); the corpus's 6,261 facts take 0.6 s here and 1.1 s on two workers
CHECK_POOL_MIN_FACTS = 30_000


def _check_departments(con, summary: IngestSummary, workers: int = 1) -> list[int]:
    """Evaluate the checks (warehouse.checks) of every department this ingest loaded a file for, CHECK_DEPARTMENTS
    at a time (checks are per department: a chunk's are the same as those of one run over all), on `workers`
    processes when that pays (CHECK_POOL_MIN_FACTS); their ids."""
    from yearwise.warehouse.checks import run_checks
    from yearwise.warehouse.memory import trim_cache

    names = sorted({r.department for r in summary.rows if not r.failed and r.department})
    if not names:
        return []
    ids = [i for (i,) in con.execute("SELECT department_id FROM department WHERE name = ANY(?) ORDER BY 1",
                                     [names]).fetchall()]
    if _checked_on_workers(con, ids, workers):
        return ids
    for start in range(0, len(ids), CHECK_DEPARTMENTS):
        run_checks(con, ids[start:start + CHECK_DEPARTMENTS])
        trim_cache(con)
    return ids


def _checked_on_workers(con, department_ids: list[int], workers: int) -> bool:
    """Check these departments on `workers` processes (warehouse.check_pool) if that pays (CHECK_POOL_MIN_FACTS);
    False, having done nothing, when it does not."""
    if workers < 2 or not department_ids:
        return False
    facts = con.execute("SELECT count(*) FROM fact WHERE department_id = ANY(?::BIGINT[])",
                        [department_ids]).fetchall()[0][0]
    if facts < CHECK_POOL_MIN_FACTS:
        return False
    from yearwise.warehouse.check_pool import run_checks_on_workers
    from yearwise.warehouse.memory import trim_cache

    run_checks_on_workers(con, department_ids, workers, most=CHECK_DEPARTMENTS, trim=trim_cache)
    return True


def _check_workers(workers: int | None, cluster: str | None) -> int:
    """The processes that check an ingest's departments, on this machine (their input files are local): the
    ingest's workers, or with a cluster every core here."""
    if cluster:
        from yearwise.ingest.pool import default_workers

        return default_workers()
    return workers or 1


def _writes(query: str) -> bool:
    """True unless every statement of `query` is proven a read."""
    try:
        return check_read_only(query) is not None
    except ReadOnlyError:
        return True


def _figures():
    """warehouse.figures, imported when a write needs it."""
    from yearwise.warehouse import figures

    return figures


def _department_ids(con, report_ids: list[int]) -> list[int]:
    """The departments of these reports."""
    if not report_ids:
        return []
    return [i for (i,) in con.execute("SELECT DISTINCT department_id FROM report WHERE report_id = ANY(?::BIGINT[]) "
                                      "AND department_id IS NOT NULL", [report_ids]).fetchall()]


def _all_department_ids(con) -> list[int]:
    """Every department's id."""
    return [i for (i,) in con.execute("SELECT department_id FROM department").fetchall()]


def _fill(row: IngestRow, result) -> None:
    """Complete `row` with what load_batch did with its report: a LoadResult, or the exception it failed with."""
    if isinstance(result, _warehouse().WarehouseBusy):
        raise result
    if isinstance(result, BaseException):
        row.error = _one_line(result)
        return
    row.facts, row.status = result.facts, result.status
    row.superseded = list(result.superseded or [])
    row.department = result.department or row.department
    row.year = result.year if result.year is not None else row.year
    row.doc_kind = result.doc_kind or row.doc_kind


# with fewer files than this, extraction stays in this process: starting the workers (~0.3 s, measured in
# benchmarks/README.md) costs more than a second core saves on a few files
POOL_MIN_FILES = 24


def _extracted(items: list, hints, workers: int | None, timeout: float | None, cluster: str | None):
    """(row, report or None) for each item, in order; failed rows of expand_paths pass through."""
    from yearwise.ingest import pool

    from yearwise.ingest.model import DOC_KINDS

    if hints.doc_kind is not None and hints.doc_kind not in DOC_KINDS:  # a typo is one clear error, not a silent kind
        raise YearwiseError(f"unknown document kind {hints.doc_kind!r} (kinds: {', '.join(DOC_KINDS)})")
    files = [item for item in items if not isinstance(item, IngestRow)]
    timeout = pool.DEFAULT_TIMEOUT if timeout is None else timeout
    workers = 1 if workers is None else workers
    if workers < 1:
        raise YearwiseError(f"workers must be at least 1, not {workers}")
    if cluster:
        results = pool.extract_on_cluster(files, hints, address=cluster, timeout=timeout)
    elif workers > 1 and len(files) >= POOL_MIN_FILES:  # needs the main-module guard in scripts, as all pools do
        results = pool.extract_parallel(files, hints, workers=min(workers, len(files)), timeout=timeout)
    else:
        results = pool.extract_serial(files, hints, timeout=timeout)
    with closing(results):
        for item in items:
            if isinstance(item, IngestRow):
                yield item, None
                continue
            try:
                result = next(results)
            except pool.PoolError as e:
                raise YearwiseError(str(e)) from None
            yield _row(item, result)


def _row(path, result) -> tuple[IngestRow, object]:
    """(row, report) for an extracted file, or (failed row, None) with the one-line cause."""
    from yearwise.ingest.pool import Failed

    row = IngestRow(file=display_path(path))
    if isinstance(result, Failed):
        row.error = result.cause
        return row, None
    row.department, row.year, row.doc_kind = result.department, result.year, result.doc_kind
    row.warnings = list(result.warnings)
    return row, result


SAFE_PRAGMAS = ("table_info", "show", "database_list", "database_size", "storage_info", "version", "functions",
                "collations", "platform", "metadata_info", "user_agent")
# query-node types of DuckDB's parse tree that only read; a CTE holding DELETE/UPDATE/INSERT (`WITH d AS
# (DELETE … RETURNING *) SELECT …`) parses as a SELECT statement, and only its tree shows the write
_READ_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})
# functions a SELECT may call that change the database
_WRITING_FUNCTIONS = frozenset({"nextval", "setval", "checkpoint", "force_checkpoint"})
_parser_con = None


def _parser():
    """An in-memory DuckDB used only to split and parse SQL (no file access, no extensions)."""
    global _parser_con
    if _parser_con is None:
        import duckdb

        _parser_con = duckdb.connect(":memory:", config=_warehouse().duckdb_config(False))
    return _parser_con


def _tree_write(tree) -> str | None:
    """The first writing node or function in a json_serialize_sql tree ('DELETE', 'nextval'), else None."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            kind = node.get("type")
            if "modifiers" in node and isinstance(kind, str) and kind.endswith("_NODE") and kind not in _READ_NODES:
                return kind.removesuffix("_NODE").removesuffix("_QUERY")
            name = node.get("function_name")
            if isinstance(name, str) and name.lower() in _WRITING_FUNCTIONS:
                return f"{name}()"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def _refuse(verb: str):
    raise ReadOnlyError(f"refused: {verb} may change the warehouse and sql is read-only; "
                        f"rerun with --write (Python: sql(..., write=True)) to allow it")


def check_read_only(query: str) -> str | None:
    """Raise ReadOnlyError unless every statement in `query` only reads (EXPLAIN checks what it explains).

    Statements are split and typed by DuckDB's parser; a SELECT is walked in its parse tree, so a writing CTE
    is caught. Returns the first statement whose tree DuckDB cannot serialise (PIVOT …): safe on a read-only
    connection, which refuses writes itself, and refused by `Warehouse.sql` anywhere else; None when all are proven.
    """
    import json

    import duckdb

    con = _parser()
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as e:
        raise YearwiseError(f"SQL does not parse: {_one_line(e)}") from None
    unproven = None
    for st in statements:
        text = st.query.strip().rstrip(";").strip()
        kind = st.type.name
        verb = text.split(None, 1)[0].upper() if text else kind
        if kind == "EXPLAIN":
            inner = re.sub(r"(?is)^explain\s+(analy[sz]e\s+)?", "", text)
            if inner != text:
                unproven = check_read_only(inner) or unproven
                continue
        if kind == "PRAGMA":
            name = re.sub(r"(?is)^pragma\s+", "", text)
            if name.lower().startswith(SAFE_PRAGMAS) and "=" not in name:
                continue
        elif kind == "SELECT":
            tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [st.query]).fetchall()[0][0])
            if tree.get("error"):
                unproven = unproven or verb
                continue
            writes = _tree_write(tree)
            if writes:
                _refuse(f"{verb} with {writes}" if writes.upper() != verb else verb)
            continue
        _refuse(verb)
    return unproven
