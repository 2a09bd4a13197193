"""The `yearwise` command: a thin Typer layer over yearwise.api; user errors print one line, never a traceback."""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from yearwise import quickparams

quickparams.install()  # values already of their parameter's type skip typer's pydantic adapters (start-up time)

if TYPE_CHECKING:  # polars loads only where a command builds a frame
    import polars as pl

app = typer.Typer(
    name="yearwise",
    help="Chinese government departments' annual reports in, a cross-year DuckDB warehouse out.\n\n"
         "Example: yearwise ingest data/sample/ && yearwise run budget_trend",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

DB_HELP = "warehouse file (default: $YEARWISE_DB or ./yearwise.duckdb)"


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    parquet = "parquet"
    xlsx = "xlsx"


FMT_HELP = "table|csv|json|jsonl|parquet|xlsx (default: from --out's extension, else table)"
LIMIT_HELP = "table rows shown (0 = all); csv/json/parquet/xlsx always hold every row"


class ExtractFmt(str, Enum):
    jsonl = "jsonl"
    table = "table"


class ListFmt(str, Enum):
    table = "table"
    json = "json"


# -- plumbing -----------------------------------------------------------------------------------


def _console(stderr: bool = False):
    from yearwise.terminal import console

    return console(stderr=stderr)


def _fail(message: str, code: int = 1):
    """One line on stderr, then exit with `code`."""
    typer.echo(f"error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(code)


def _error_types():
    """(busy, other user-facing) exception classes, importing the layers lazily."""
    import duckdb

    from yearwise.ingest import IngestError
    from yearwise.queries import QueryError
    from yearwise.api import YearwiseError

    from yearwise.answers import AnswerFormatError

    busy: tuple = ()
    other: list = [IngestError, QueryError, YearwiseError, AnswerFormatError, duckdb.Error, OSError, ValueError]
    try:
        from yearwise import warehouse

        if hasattr(warehouse, "WarehouseBusy"):
            busy = (warehouse.WarehouseBusy,)
        if hasattr(warehouse, "WarehouseError"):
            other.insert(0, warehouse.WarehouseError)
    except ImportError:
        pass
    return busy, tuple(other)


@contextmanager
def _user_errors():
    """Turn the errors a user can cause into one stderr line: busy exits 2, the rest exit 1. The error classes
    are looked up only when something fails (importing every layer for them would slow every start)."""
    try:
        yield
    except typer.Exit:
        raise
    except Exception as e:
        busy, other = _error_types()
        if isinstance(e, busy):
            msg = str(e)
            _fail(msg if "busy" in msg.lower() else f"warehouse is busy: {msg}", 2)
        if isinstance(e, other):
            _fail(str(e) or type(e).__name__, 1)
        raise


def _db(ctx: typer.Context, db: Optional[str]) -> Optional[str]:
    return db or (ctx.obj or {}).get("db")


def _warehouse(ctx: typer.Context, db: Optional[str], allow_files: bool = False):
    from yearwise.api import Warehouse

    return Warehouse(_db(ctx, db), allow_files=allow_files or bool((ctx.obj or {}).get("allow_files")))


def _params(pairs: Optional[List[str]]) -> dict:
    """key=value pairs as a dict; a key given twice is an error (every canned parameter takes one value)."""
    out: dict = {}
    for p in pairs or []:
        key, sep, value = p.partition("=")
        key = key.strip()
        if not sep or not key:
            _fail(f"--param {p!r}: expected key=value, e.g. --param department=示例区教育局")
        if key in out:
            _fail(f"--param {key} given twice ({out[key]!r} and {value!r}); it takes one value: "
                  f"run the query once per value")
        out[key] = value
    return out


def dumps(obj) -> str:
    """JSON with Decimal values written as exact JSON numbers (see yearwise.answers.dumps)."""
    from yearwise.answers import dumps as _dumps

    return _dumps(obj)


def _write(text: str) -> None:
    """stdout write that ends quietly when the reader has gone (`yearwise extract ... | head`)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise typer.Exit(0) from None


def _emit(df: pl.DataFrame, fmt: Optional[Fmt], out: Optional[Path], title: str | None = None, *,
          limit: int = 100, wide: bool = False, bom: bool = False) -> None:
    """Write an answer as a bounded table, csv, json, jsonl, parquet or xlsx, to --out or stdout.

    Without --format the format is --out's extension (trend.xlsx is a workbook); an extension nothing writes
    is an error before anything is written."""
    from yearwise import answers, terminal

    kind = answers.format_for(fmt, out)
    if kind in answers.BINARY and out is None:
        _fail(f"--format {kind} needs --out FILE.{kind}")
    if kind == "table":
        if out is None:
            terminal.print_table(df, title=title, limit=limit, wide=wide)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8") as fh:
                terminal.print_table(df, title=title, limit=limit, wide=wide, file=fh)
    elif out is None:
        _write(answers.text(df, kind, bom=bom))
    else:
        answers.write(df, kind, out, bom=bom, sheet=title or "answer")
    if out is not None:
        typer.echo(f"wrote {out} ({kind}, {df.height} rows)", err=True)


# -- commands -----------------------------------------------------------------------------------


ALLOW_FILES_HELP = ("let SQL read and write files and URLs (read_csv, COPY, ATTACH …) and load DuckDB extensions; "
                    "off by default: SQL sees the warehouse only")


def _version(value: bool):
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"yearwise {version('yearwise')}")
        except PackageNotFoundError:  # running from a source tree without an install
            typer.echo("yearwise (not installed)")
        raise typer.Exit(0)


@app.callback()
def main(ctx: typer.Context,
         db: Optional[str] = typer.Option(None, "--db", envvar="YEARWISE_DB", help=DB_HELP),
         allow_files: bool = typer.Option(False, "--allow-files", envvar="YEARWISE_ALLOW_FILES",
                                          help=ALLOW_FILES_HELP),
         version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="print the version and exit")):
    """Chinese government departments' annual reports in, a cross-year DuckDB warehouse out.

    Example: yearwise ingest data/sample/ && yearwise run budget_trend
    """
    ctx.obj = {"db": db, "allow_files": allow_files}


# past this many files the ingest summary is one line per failure plus the totals, not a row per file
SUMMARY_ROWS = 20


def _ingest_summary(summary) -> None:
    from collections import Counter

    from rich.table import Table

    counts = Counter(r.status for r in summary.rows)
    flagged = sum(r.flagged for r in summary.rows)
    totals = (f"{len(summary.rows)} files, {summary.facts:,} facts: "
              + ", ".join(f"{counts[k]} {k}" for k in ("loaded", "replaced", "unchanged", "failed") if counts[k])
              + (f" ({flagged} flagged)" if flagged else ""))
    if len(summary.rows) > SUMMARY_ROWS:
        for r in summary.failed:
            typer.echo(f"{r.file}: {r.error}", err=True)
        for r in summary.rows:
            if r.flagged:
                typer.echo(f"{r.file}: flagged: {'; '.join(r.warnings)}", err=True)
        typer.echo(totals)
        return
    t = Table(title=totals)
    for c in ("file", "department", "year", "kind", "facts", "status"):
        t.add_column(c, overflow="fold")
    for r in summary.rows:
        t.add_row(r.file, r.department or "", "" if r.year is None else str(r.year), r.doc_kind or "",
                  str(r.facts), r.status_text, style="red" if r.failed else "yellow" if r.flagged else None)
    _console().print(t)


@app.command()
def ingest(ctx: typer.Context,
           paths: Optional[List[str]] = typer.Argument(None, help="files, folders (recursive) or globs"),
           db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
           department: Optional[str] = typer.Option(None, "--department", help="department, when the text lacks it"),
           year: Optional[int] = typer.Option(None, "--year", help="report year, when the text lacks it"),
           kind: Optional[str] = typer.Option(None, "--kind",
                                              help="performance_evaluation|final_accounts|budget (or a "
                                                   "family of YEARWISE_FAMILIES)"),
           reextract: bool = typer.Option(False, "--reextract",
                                          help="extract again the reports loaded by other extraction code or "
                                               "rules (their parser_version differs) and print which facts changed"),
           workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                                 help="extraction processes (default: one per core)"),
           timeout: float = typer.Option(120.0, "--timeout", min=0.1,
                                         help="seconds one file may take to extract before it fails"),
           cluster: Optional[str] = typer.Option(None, "--cluster",
                                                 help="extract on the Dask cluster whose scheduler is at ADDRESS "
                                                      "(e.g. tcp://10.0.0.5:8786; needs yearwise[cluster] and "
                                                      "the files at the same paths on its workers)")):
    """Extract report files and load them into the warehouse; each file is written whole or not at all.

    Up to 20 files: a row per file; more: one line per failure and the totals. Files are extracted on
    every core (or on a Dask cluster) and loaded in order by this process; a file that fails, hangs past
    --timeout or kills its worker fails alone.

    Example: yearwise ingest data/sample/ --db reports.duckdb --workers 2
    Example: yearwise ingest --reextract --db reports.duckdb
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if reextract:
        with _user_errors():
            _reextract(_warehouse(ctx, db))
        if not paths:
            return
    if not paths:
        _fail("name files, folders or globs to ingest (or --reextract)")
    with _user_errors():
        wh = _warehouse(ctx, db)
        files = wh.expand(paths)
        err = _console(stderr=True)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("ingesting", total=len(files))
            from yearwise.ingest.pool import default_workers

            summary = wh.ingest(files, department=department, year=year, doc_kind=kind,
                                workers=workers or default_workers(), timeout=timeout, cluster=cluster,
                                progress=lambda done, total, row: bar.update(
                                    task, completed=done, description=Path(row.file).name[:40]))
        _ingest_summary(summary)
        if summary.unidentified:
            _console().print(f"{len(summary.unidentified)} file(s) without a department, kept out of `facts` "
                             "(see the unidentified_facts view); name it with --department: "
                             + ", ".join(Path(r.file).name for r in summary.unidentified))
        if summary.failed:
            raise typer.Exit(1)


def _reextract(wh) -> None:
    """Print what re-extracting the stale reports did: a line per report, then its facts removed (-) and added (+)."""
    done = wh.reextract()
    if not done:
        typer.echo("every report was extracted by the current code and rules")
    for r in done:
        typer.echo(f"{r.source}: {r.status} ({r.old_version or '?'} -> {r.new_version}) {r.message}"
                   + (f"; {len(r.removed)} facts removed, {len(r.added)} added" if r.status == "re-extracted" else ""),
                   err=r.status != "re-extracted")
        for sign, facts in (("-", r.removed), ("+", r.added)):
            for f in facts:
                typer.echo(f"  {sign} {f.line()}")


@app.command()
def export(ctx: typer.Context,
           out: Path = typer.Option(..., "--out", "-o", help="new (or empty) folder for the Parquet dataset"),
           db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Write every report and fact as a Parquet dataset partitioned by year and province (DuckDB, Spark, Trino
    read it: DIR/facts/year=*/province=*/*.parquet, DIR/reports.parquet); `yearwise load` reads it back.

    Example: yearwise export --out dataset
    """
    with _user_errors():
        reports, facts = _warehouse(ctx, db).export(out)
        typer.echo(f"wrote {reports:,} reports and {facts:,} facts to {out}", err=True)


@app.command("load")
def load_(ctx: typer.Context,
          dataset: Path = typer.Argument(..., help="folder written by `yearwise export`"),
          workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                                help="processes that evaluate the checks (default: one per core)"),
          db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Load a Parquet dataset written by `yearwise export` (on this or other machines) into the warehouse; its
    reports go through the same loader as an ingest, in their original order, and the checks of the departments
    it touched run on every core.

    Example: yearwise export --out exported && yearwise load exported --db merged.duckdb
    """
    from yearwise.ingest.pool import default_workers

    with _user_errors():
        summary = _warehouse(ctx, db).load(dataset, workers=workers or default_workers())
        _ingest_summary(summary)
        if summary.failed:
            raise typer.Exit(1)


@app.command()
def synthetic(out: Path = typer.Option(..., "--out", "-o", help="folder to write the synthetic TXT reports to"),
              reports: int = typer.Option(1000, "--reports", "-n", min=1, help="how many reports"),
              seed: int = typer.Option(0, "--seed", help="random seed (the same seed writes the same files)")):
    """Write SYNTHETIC reports (fictitious 示例 departments, banner on every file) to reproduce scale figures.

    Example: yearwise synthetic --reports 50 --out synthetic && yearwise ingest synthetic --db synthetic.duckdb
    """
    from yearwise.synthetic import TRUTH_FILE, generate_many

    with _user_errors():
        paths = generate_many(out, reports, seed=seed)
        mb = sum(p.stat().st_size for p in paths) / 1e6
        typer.echo(f"wrote {len(paths)} SYNTHETIC reports (示例 departments, not real data), {mb:.1f} MB, to {out}; "
                   f"their true values are in {out / TRUTH_FILE}", err=True)


@app.command()
def extract(paths: List[str] = typer.Argument(..., help="files, folders (recursive) or globs"),
            fmt: ExtractFmt = typer.Option(ExtractFmt.jsonl, "--format", "-f", help="jsonl or table"),
            department: Optional[str] = typer.Option(None, "--department", help="department hint"),
            year: Optional[int] = typer.Option(None, "--year", help="report year hint"),
            kind: Optional[str] = typer.Option(None, "--kind", help="document kind hint"),
            limit: int = typer.Option(100, "--limit", help=LIMIT_HELP),
            wide: bool = typer.Option(False, "--wide", help="table: every column, text not cut")):
    """Print the facts found in files, without any database (one JSON object a line by default).

    Example: yearwise extract data/sample/ --format table
    """
    from yearwise import terminal
    from yearwise.api import IngestRow, display_path, expand_paths, extract_file

    with _user_errors():  # a broken rule file (a user's YEARWISE_FAMILIES, say) is one line, before any file
        from yearwise import ingest as ing
        from yearwise.ingest.model import DOC_KINDS
        from yearwise.ingest.rules import check_rule_files

        check_rule_files()
    if kind is not None and kind not in DOC_KINDS:
        _fail(f"--kind {kind!r}: expected one of {', '.join(DOC_KINDS)}")
    failed = 0
    for item in expand_paths(paths):
        if isinstance(item, IngestRow):
            typer.echo(f"{item.file}: {item.error}", err=True)
            failed += 1
            continue
        try:
            report = extract_file(item, department=department, year=year, doc_kind=kind)
        except ing.IngestError as e:
            typer.echo(" ".join(str(e).split()), err=True)
            failed += 1
            continue
        except Exception as e:  # a reader bug in one file must not hide the others
            typer.echo(f"{display_path(item)}: {type(e).__name__}: {' '.join(str(e).split())}", err=True)
            failed += 1
            continue
        for warning in report.warnings:  # loaded, but the reader repaired bytes or refused a value
            typer.echo(f"{display_path(item)}: flagged: {warning}", err=True)
        records = report.records()
        if fmt is ExtractFmt.jsonl:
            _write("".join(dumps(rec) + "\n" for rec in records))
        else:
            cols = ["year", "indicator", "indicator_name", "measure", "value", "unit", "period", "scope", "quote"]
            import polars as pl

            df = pl.DataFrame([{c: r[c] for c in cols} for r in records],
                              schema={c: (pl.Int64 if c == "year" else pl.Decimal(38, 12) if c == "value"
                                          else pl.Utf8) for c in cols})
            terminal.print_table(df, title=f"{report.source} — {report.department or '?'} {report.year or '?'} "
                                           f"{report.doc_kind} ({len(records)} facts)", limit=limit, wide=wide)
    if failed:
        raise typer.Exit(1)


def _list_queries(fmt: ListFmt = ListFmt.table) -> None:
    from yearwise.queries import list_queries

    specs = list_queries()
    if fmt is ListFmt.json:
        _write(dumps([s.to_dict() for s in specs]) + "\n")
        return
    from rich.table import Table

    t = Table(title="canned queries (yearwise run NAME --param k=v)", show_lines=True)
    for c in ("name", "title", "params"):
        t.add_column(c, overflow="fold")
    for s in specs:
        params = "\n".join(
            f"{p.name}: {p.type} = {'null' if p.default is None else p.default}"
            + (f" ({'|'.join(p.choices)})" if p.choices else "") + (f" — {p.help}" if p.help else "")
            for p in s.params) or "-"
        t.add_row(s.name, f"{s.title}\n{s.description}", params)
    _console().print(t)


@app.command("queries")
def queries_(fmt: ListFmt = typer.Option(ListFmt.table, "--format", "-f", help="table or json")):
    """List the canned queries with their parameters.

    Example: yearwise queries --format json
    """
    _list_queries(fmt)


@app.command()
def run(ctx: typer.Context,
        name: Optional[str] = typer.Argument(None, help="canned query name (without one: the list)"),
        param: Optional[List[str]] = typer.Option(None, "--param", "-p", help="key=value, repeatable"),
        fmt: Optional[Fmt] = typer.Option(None, "--format", "-f", help=FMT_HELP),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="write to FILE instead of stdout"),
        limit: int = typer.Option(100, "--limit", help=LIMIT_HELP),
        wide: bool = typer.Option(False, "--wide", help="table: every column, text not cut"),
        bom: bool = typer.Option(False, "--bom", help="csv: start with a BOM (Excel on Chinese Windows)"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Run a canned query with bound parameters, checked against the warehouse first.

    Example: yearwise run budget_trend --param department=示例区教育局 --param from_year=2021 --format csv
    """
    if name is None:
        _list_queries()
        typer.echo("give one: yearwise run NAME [--param key=value]", err=True)
        return
    with _user_errors():
        params = _params(param)
        df = _warehouse(ctx, db).run(name, **params)
        _emit(df, fmt, out, title=name, limit=limit, wide=wide, bom=bom)


# SQL that starts with a comment ('-- note\nselect 1') looks like an option to the parser: unknown options reach
# `query`, and sql() refuses the ones that are no SQL comment
@app.command(context_settings={"ignore_unknown_options": True})
def sql(ctx: typer.Context,
        query: str = typer.Argument(..., help="SQL over the facts view; read-only unless --write"),
        write: bool = typer.Option(False, "--write", help="allow statements that change the warehouse"),
        allow_files: bool = typer.Option(False, "--allow-files", help=ALLOW_FILES_HELP),
        fmt: Optional[Fmt] = typer.Option(None, "--format", "-f", help=FMT_HELP),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="write to FILE instead of stdout"),
        limit: int = typer.Option(100, "--limit", help=LIMIT_HELP),
        wide: bool = typer.Option(False, "--wide", help="table: every column, text not cut"),
        bom: bool = typer.Option(False, "--bom", help="csv: start with a BOM (Excel on Chinese Windows)"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Run your own SQL against the warehouse; read-only unless --write, and it sees no other file unless
    --allow-files.

    Example: yearwise sql "select department, year, value from facts_distinct where indicator = 'budget.total'"
    """
    if query.startswith("-") and not re.match(r"--(\s|$)", query):
        _fail(f"no such option: {query.split()[0]}")
    with _user_errors():
        df = _warehouse(ctx, db, allow_files).sql(query, write=write)
        _emit(df, fmt, out, limit=limit, wide=wide, bom=bom)


@app.command()
def chart(ctx: typer.Context,
          name: str = typer.Argument(..., help="canned query name (see `yearwise queries`)"),
          out: Path = typer.Option(..., "--out", "-o", help="FILE.html, FILE.png or FILE.svg"),
          param: Optional[List[str]] = typer.Option(None, "--param", "-p", help="key=value, repeatable"),
          fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html|png|svg (default: from --out)"),
          db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Draw a canned query as a chart and save it as HTML, PNG or SVG (Chinese text included).

    Example: yearwise chart budget_trend --param department=示例区教育局 --out trend.png
    """
    from yearwise.charts import FORMATS, save_chart

    with _user_errors():
        kind = (fmt or out.suffix.lstrip(".")).lower()
        if f".{kind}" not in FORMATS:
            _fail(f"--out {out}: cannot draw a chart as {kind or 'a file without an extension'} "
                  f"(extensions: {', '.join(FORMATS)})")
        params = _params(param)
        c = _warehouse(ctx, db).chart(name, **params)
        save_chart(c, out, fmt=kind)
        typer.echo(f"wrote {out}", err=True)


@app.command()
def departments(ctx: typer.Context,
                fmt: Optional[Fmt] = typer.Option(None, "--format", "-f", help=FMT_HELP),
                out: Optional[Path] = typer.Option(None, "--out", "-o", help="write to FILE"),
                limit: int = typer.Option(100, "--limit", help=LIMIT_HELP),
                wide: bool = typer.Option(False, "--wide", help="table: every column, text not cut"),
                db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """List the departments in the warehouse with their years and fact counts.

    Example: yearwise departments --format csv
    """
    with _user_errors():
        _emit(_warehouse(ctx, db).departments(), fmt, out, title="departments", limit=limit, wide=wide)


@app.command()
def conflicts(ctx: typer.Context,
              indicator: Optional[str] = typer.Option(None, "--indicator", help="only this indicator code"),
              fmt: Optional[Fmt] = typer.Option(None, "--format", "-f", help=FMT_HELP),
              out: Optional[Path] = typer.Option(None, "--out", "-o", help="write to FILE"),
              limit: int = typer.Option(100, "--limit", help=LIMIT_HELP),
              wide: bool = typer.Option(False, "--wide", help="table: every column, text not cut"),
              db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """List every department-year-indicator-measure that current facts give more than one value, with the
    values, their quotes and sources (the `conflicts` view).

    Example: yearwise conflicts --indicator budget.total --format csv
    """
    with _user_errors():
        _emit(_warehouse(ctx, db).conflicts(indicator), fmt, out, title="conflicts", limit=limit, wide=wide)


@app.command()
def check(ctx: typer.Context,
          department: Optional[str] = typer.Option(None, "--department", help="one department (any spelling)"),
          year: Optional[int] = typer.Option(None, "--year", help="one fiscal year"),
          status: Optional[str] = typer.Option(None, "--status",
                                               help="only these statuses: pass, fail, doubtful, cannot (a,b)"),
          fmt: Optional[Fmt] = typer.Option(None, "--format", "-f", help=FMT_HELP),
          out: Optional[Path] = typer.Option(None, "--out", "-o", help="write to FILE"),
          workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                                help="processes that evaluate the checks (default: one per core)"),
          db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Evaluate the consistency checks (ingest/data/checks.toml) and list them: identities, stated rates and
    changes, cross-year statements, versions, plausibility; with the quotes and sources of every fact involved.

    Example: yearwise check --status fail,doubtful --format csv
    """
    from yearwise.ingest.pool import default_workers

    with _user_errors():
        df = _warehouse(ctx, db).check(department=department, year=year, status=status,
                                       workers=workers or default_workers())
        if (fmt is None and out is None) or fmt is Fmt.table:
            df = df.select("check", "status", "department", "year", "indicator", "stated", "expected",
                           "difference", "message")
        _emit(df, fmt, out, title="checks", limit=0)


@app.command()
def indicators(ctx: typer.Context,
               fmt: Optional[Fmt] = typer.Option(None, "--format", "-f", help=FMT_HELP),
               out: Optional[Path] = typer.Option(None, "--out", "-o", help="write to FILE"),
               limit: int = typer.Option(100, "--limit", help=LIMIT_HELP),
               wide: bool = typer.Option(False, "--wide", help="table: every column, text not cut"),
               db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """List the indicators in the warehouse with their units and how widely they are reported.

    Example: yearwise indicators --format json
    """
    with _user_errors():
        _emit(_warehouse(ctx, db).indicators(), fmt, out, title="indicators", limit=limit, wide=wide)


@app.command()
def report(ctx: typer.Context,
           department: Optional[List[str]] = typer.Option(None, "--department", "-d",
                                                          help="only this department (any spelling); repeatable"),
           out: Path = typer.Option(Path("yearwise-report"), "--out", "-o", help="folder to write the site into"),
           db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Write a static HTML site: an index, a page per department, a review page per document.

    It opens from disk (out/index.html) with no server and no internet. Review pages highlight every
    extracted number in the document text and draw PDF pages with the boxes of table cells.

    Example: yearwise report --department 示例区教育局 --out site
    """
    with _user_errors():
        summary = _warehouse(ctx, db).report(out, department=department or None)
        typer.echo(f"wrote {summary}", err=True)


@app.command()
def demo(db: Optional[str] = typer.Option(None, "--db",
                                         help="demo warehouse file, rebuilt from scratch (default: "
                                              "./yearwise-demo.duckdb; never $YEARWISE_DB)")):
    """Build a demo warehouse (the bundled Beijing report plus synthetic reports) and print a trend.

    Example: yearwise demo --db demo.duckdb
    """
    from yearwise import terminal

    with _user_errors():
        try:
            from yearwise.demo import build_demo
        except ImportError as e:
            _fail(f"the demo is not available in this install: {e}")
        # only an explicit --db: the demo deletes its file first, so $YEARWISE_DB is never used here
        wh = build_demo(db) if db else build_demo()
        df = wh.run("budget_trend")
        terminal.print_table(df, title=f"budget_trend — {wh.path}")
        typer.echo(f"demo warehouse: {wh.path} — try: yearwise --db {wh.path} run budget_trend", err=True)


if __name__ == "__main__":  # pragma: no cover
    app()
