"""The warehouse as a Parquet dataset that DuckDB, Spark and Trino read, and loading such a dataset back.

Extraction on many machines and one warehouse meet through these files: each machine ingests into its own
warehouse and exports it; `load` replays the reports, in their load order, through the same loader as an
ingest, so versions and departments are decided as they would have been.

    DIR/reports.parquet                                   one row per report (current and superseded), in load order
    DIR/facts/year=2023/province=上海市/data_0.parquet     Hive partitions; province (省/自治区/直辖市) where the
    DIR/facts/year=2023/province=__HIVE_DEFAULT_PARTITION__/...   department's region says it, else the default

Partition values are written as plain UTF-8 folder names (DuckDB would percent-encode them, which Spark and
Trino decode byte by byte into the wrong characters). Partitions are by year and province, never by
department: a national corpus would otherwise make millions of tiny files.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import urllib.parse
from pathlib import Path

REPORTS_FILE = "reports.parquet"
RESTATEMENTS_FILE = "restatements.parquet"  # marks found in the documents' text, which the dataset does not carry
TABLE_SUMS_FILE = "table_sums.parquet"  # table arithmetic the readers evaluated on tables the dataset does not carry
_TABLE_SUM_COLUMNS = ('position, rule, "table", page, row_code, row_label, "column", whole, parts, n_parts, unit, '
                      'tolerance, starts')
FACTS_DIR = "facts"
PARTITIONS = ("year", "province")
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


def _fact_select() -> str:
    """The columns of a fact row in the dataset: every field of the fact spec under its spec name (so a reader
    needs no warehouse), the report's identity beside it, and the partition column year among them."""
    from yearwise.warehouse.schema import fact_storage

    spec = ", ".join(f'f."{stored}" AS "{name}"' for name, stored in fact_storage())
    return ("r.sha256, f.fact_id AS fact_order, d.name AS department, d.region, i.name AS indicator_name, "
            f"{spec}, r.source, r.doc_kind, r.fiscal_year AS report_year, r.entity_level, r.status")


def _exported_report():
    from dataclasses import dataclass

    from yearwise.ingest.model import Report

    @dataclass(slots=True)
    class ExportedReport(Report):
        """A Report read back from a dataset: no text, so what the text said about its version comes with it."""

        version: object = None  # ingest.versions.VersionEvidence

    return ExportedReport


class DatasetError(Exception):
    """A folder that is not a yearwise dataset, or an export that would overwrite one; one line."""


def _writer():
    """An in-memory DuckDB that writes the files: the warehouse's own connection may reach no file at all."""
    import duckdb

    from yearwise.warehouse.departments import _PROVINCE_START

    dst = duckdb.connect()
    dst.execute("SET enable_progress_bar = false")
    # the same rule as departments.province_of, in RE2's spelling (characters, not \\u escapes)
    pattern = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), _PROVINCE_START.pattern)
    pattern = pattern.replace("'", "''")
    dst.execute(f"CREATE MACRO province_of(r) AS nullif(regexp_extract(r, '{pattern}'), '')")
    return dst


# rows per Arrow batch streamed from the warehouse to the writer: memory stays bounded whatever the size
BATCH_ROWS = 200_000


def export_dataset(con, out) -> tuple[int, int]:
    """Write every report and fact of the warehouse on `con` to the folder `out` (absent or empty); (reports, facts).

    The rows stream from the warehouse as Arrow batches into a separate DuckDB that writes Parquet (zstd), into a
    staging folder inside `out`; the finished files move into place at the end, reports.parquet (what `load` looks
    for) last. A write that fails (a full disk) is a DatasetError naming the file and the cause, and leaves `out`
    as it found it: never a dataset that looks complete but lacks facts."""
    import duckdb

    from yearwise.warehouse.schema import settle

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DatasetError(f"{out}: not an empty folder; export writes a new dataset")
    created = not out.exists()
    moved: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        settle(con)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
        dst = _writer()
        try:
            n_reports, n_facts = _write(con, dst, staging)
        finally:
            dst.close()
        for name in (FACTS_DIR, RESTATEMENTS_FILE, TABLE_SUMS_FILE, REPORTS_FILE):  # reports last: it marks done
            (staging / name).rename(out / name)
            moved.append(out / name)
    except (duckdb.Error, OSError) as e:
        for p in moved:
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        raise DatasetError(f"{out}: export failed, nothing written: {_write_error(e)}") from None
    finally:
        if out.is_dir():
            for p in out.glob(".staging-*"):
                shutil.rmtree(p, ignore_errors=True)
            if created and not any(out.iterdir()):
                out.rmdir()
    return n_reports, n_facts


def _write(con, dst, staging: Path) -> tuple[int, int]:
    """The reports, the facts (Hive partitions), the restatements and table sums of `con`, written by `dst` under
    `staging`."""
    dst.register("reports", con.sql(
        "SELECT row_number() OVER (ORDER BY r.report_id) AS report_order, r.sha256, r.source, r.doc_kind, "
        "d.name AS department, d.region, r.fiscal_year, r.pages, r.format, r.parser_version, r.status, "
        "r.entity_level, r.identity, r.flags, r.stated_date, r.correction, r.ingested_at "
        "FROM report r LEFT JOIN department d USING (department_id) ORDER BY r.report_id"
    ).to_arrow_reader(BATCH_ROWS))
    n_reports = dst.execute(
        "COPY (SELECT * EXCLUDE (ingested_at), province_of(region) AS province, ingested_at FROM reports) "
        f"TO '{_sql_path(staging / REPORTS_FILE)}' (FORMAT parquet, COMPRESSION zstd)").fetchall()[0][0]
    dst.register("facts", con.sql(
        f"SELECT {_fact_select()} FROM fact f JOIN report r USING (report_id) "
        "LEFT JOIN department d ON d.department_id = f.department_id "
        "LEFT JOIN indicator i ON i.code = f.indicator_code ORDER BY f.fact_id").to_arrow_reader(BATCH_ROWS))
    facts = staging / FACTS_DIR
    facts.mkdir()
    n_facts = dst.execute(
        "COPY (SELECT *, province_of(region) AS province FROM facts) "
        f"TO '{_sql_path(facts)}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({', '.join(PARTITIONS)}), "
        "OVERWRITE_OR_IGNORE)").fetchall()[0][0]
    _plain_names(facts)
    dst.register("restatements", con.sql(
        "SELECT r.sha256, s.start_offset, s.words FROM restatement s JOIN report r USING (report_id) "
        "ORDER BY r.report_id, s.start_offset").to_arrow_reader(BATCH_ROWS))
    dst.execute(f"COPY restatements TO '{_sql_path(staging / RESTATEMENTS_FILE)}' (FORMAT parquet)")
    dst.register("table_sums", con.sql(
        f"SELECT r.sha256, {_TABLE_SUM_COLUMNS.replace('position', 't.position')} FROM table_sum t "
        "JOIN report r USING (report_id) ORDER BY r.report_id, t.position").to_arrow_reader(BATCH_ROWS))
    dst.execute(f"COPY table_sums TO '{_sql_path(staging / TABLE_SUMS_FILE)}' (FORMAT parquet)")
    return n_reports, n_facts


def _write_error(e: Exception) -> str:
    """The cause of a failed write in one line: DuckDB's own message for the file ('Could not write file "…": No
    space left on device') out of its JSON, or the OS error with its file."""
    if isinstance(e, OSError):
        return f"{e.filename}: {e.strerror}" if e.filename and e.strerror else str(e)
    m = re.search(r'"exception_message":\s*"((?:[^"\\]|\\.)*)"', str(e))
    text = m.group(1).replace('\\"', '"') if m else str(e)
    return " ".join(text.split())


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def _plain_names(root: Path) -> None:
    """Rename DuckDB's percent-encoded partition folders (province=%E4%B8%8A...) to their UTF-8 text."""
    for d in sorted((p for p in root.rglob("*=*") if p.is_dir()), key=lambda p: -len(p.parts)):
        key, _, value = d.name.partition("=")
        plain = urllib.parse.unquote(value)
        if plain != value and not set(plain) & set("/\\=%:") and plain.isprintable():
            d.rename(d.with_name(f"{key}={plain}"))


def _read(path: Path):
    """An in-memory DuckDB connection with the dataset's reports and facts as views `r` and `f`."""
    import duckdb

    reports, facts = path / REPORTS_FILE, path / FACTS_DIR
    if not reports.is_file():
        raise DatasetError(f"{path}: no {REPORTS_FILE} there; not a dataset written by `yearwise export`")
    src = duckdb.connect()
    src.execute(f"SET temp_directory = '{_sql_path(Path(tempfile.gettempdir()) / 'yearwise-load-spill')}'")
    src.execute(f"CREATE VIEW r AS SELECT * FROM read_parquet('{_sql_path(reports)}')")
    if any(facts.rglob("*.parquet")):
        src.execute(f"CREATE VIEW f AS SELECT * FROM read_parquet('{_sql_path(facts)}/**/*.parquet', "
                    "hive_partitioning = true, hive_types = {'year': INTEGER, 'province': VARCHAR})")
    else:  # a warehouse with reports but no facts
        src.execute("CREATE VIEW f AS SELECT NULL::VARCHAR AS sha256, NULL::BIGINT AS fact_order WHERE false")
    return src


def read_reports(path, *, chunk: int = 5000):
    """Every report of the dataset at `path`, in load order, with its facts; streamed.

    The documents' text is not in the dataset: a Report read back has the text "" (spans stay as recorded)."""
    from yearwise.ingest.model import FACT_COLUMNS, Document, Fact
    from yearwise.ingest.versions import VersionEvidence

    ExportedReport = _exported_report()

    path = Path(path)
    src = _read(path)
    names = [c.name for c in FACT_COLUMNS]
    empty = {c.name: "" for c in FACT_COLUMNS if c.type == "str" and not c.nullable}
    try:
        reports = src.execute(
            "SELECT sha256, source, doc_kind, department, fiscal_year, pages, format, entity_level, "
            "identity, flags, stated_date, correction FROM r ORDER BY report_order").fetchall()
        facts = src.execute(
            "SELECT f.sha256, " + ", ".join(f'f."{n}"' for n in names)
            + " FROM f JOIN r USING (sha256) ORDER BY r.report_order, f.fact_order")
        rows: list = []
        at = 0
        for sha, source, kind, department, year, pages, fmt, level, identity, flags, stated, correction in reports:
            mine = []
            while True:
                if at == len(rows):
                    rows, at = facts.fetchmany(chunk), 0
                    if not rows:
                        break
                if rows[at][0] != sha:
                    break
                values = dict(zip(names, rows[at][1:]))
                at += 1
                for name, blank in empty.items():
                    if values[name] is None:
                        values[name] = blank
                mine.append(Fact(**values))
            doc = Document(source=source, sha256=sha, text="", format=fmt or "", pages=pages)
            yield ExportedReport(document=doc, doc_kind=kind, department=department, year=year, facts=mine,
                                 version=VersionEvidence(stated, bool(correction)),
                                 entity_level=level or "department", evidence=(identity,) if identity else (),
                                 flags=tuple(flags.split("; ")) if flags else ())
    finally:
        src.close()


def restore_restatements(con, path) -> int:
    """Insert the dataset's restatement marks for the reports of the warehouse on `con`; rows inserted."""
    return _restore(con, Path(path) / RESTATEMENTS_FILE, "restatement", "start_offset, words")


def restore_table_sums(con, path) -> int:
    """Insert the dataset's table arithmetic for the reports of the warehouse on `con`; rows inserted."""
    return _restore(con, Path(path) / TABLE_SUMS_FILE, "table_sum", _TABLE_SUM_COLUMNS)


def _restore(con, file: Path, table: str, columns: str) -> int:
    """Rows of a dataset file keyed by sha256 into `table`, for the reports of the warehouse on `con`."""
    from yearwise.warehouse.results import frame

    if not file.is_file():
        return 0
    src = _read(file.parent)
    try:
        rows = frame(src.sql(f"SELECT sha256, {columns} FROM read_parquet('{_sql_path(file)}')"))
    finally:
        src.close()
    if not rows.height:
        return 0
    name = f"_yw_{table}"
    con.register(name, rows)
    try:
        return con.execute(
            f"INSERT INTO {table} (report_id, {columns}) SELECT r.report_id, "
            + ", ".join(f"m.{c.strip()}" for c in columns.split(","))
            + f" FROM {name} m JOIN report r USING (sha256) ON CONFLICT DO NOTHING").fetchall()[0][0]
    finally:
        con.unregister(name)


def dataset_size(path) -> int:
    """How many reports the dataset at `path` holds."""
    src = _read(Path(path))
    try:
        return src.execute("SELECT count(*) FROM r").fetchall()[0][0]
    finally:
        src.close()
