"""The star schema as one SQLAlchemy Core MetaData, and the DuckDB DDL compiled from it.

`fact` is keyed by department, year and indicator; `report` says which document each fact came from
and whether that document is the current version. Foreign keys are declared for SQLAlchemy joins but
not emitted as DDL: DuckDB refuses ALTER TABLE on a table other tables reference, which would block
forward migrations, and load.py keeps the references consistent inside each transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateSequence, CreateTable

metadata = sa.MetaData()

department_id_seq = sa.Sequence("department_id_seq", metadata=metadata)
report_id_seq = sa.Sequence("report_id_seq", metadata=metadata)
fact_id_seq = sa.Sequence("fact_id_seq", metadata=metadata)


def _id(seq: sa.Sequence, name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger, primary_key=True, server_default=seq.next_value())


department = sa.Table(
    "department", metadata,
    _id(department_id_seq, "department_id"),
    sa.Column("name", sa.String, nullable=False, unique=True, comment="canonical name"),
    sa.Column("region", sa.String),
    sa.Column("kind", sa.String),
)

department_alias = sa.Table(
    "department_alias", metadata,
    sa.Column("alias", sa.String, primary_key=True, comment="a spelling seen in a report"),
    sa.Column("department_id", sa.BigInteger, sa.ForeignKey("department.department_id"), nullable=False),
)

indicator = sa.Table(
    "indicator", metadata,
    sa.Column("code", sa.String, primary_key=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("category", sa.String),
    sa.Column("unit_kind", sa.String),
    sa.Column("unit", sa.String),
    sa.Column("additive", sa.Boolean, nullable=False, server_default=sa.false()),
)

report = sa.Table(
    "report", metadata,
    _id(report_id_seq, "report_id"),
    sa.Column("sha256", sa.String, nullable=False, unique=True),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("doc_kind", sa.String, nullable=False),
    sa.Column("department_id", sa.BigInteger, sa.ForeignKey("department.department_id")),
    sa.Column("fiscal_year", sa.Integer),
    sa.Column("pages", sa.Integer),
    sa.Column("format", sa.String),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column("parser_version", sa.String),
    sa.Column("status", sa.String, nullable=False, server_default="current"),
    sa.Column("superseded_by", sa.BigInteger),
    sa.CheckConstraint("status IN ('current', 'superseded')", name="report_status"),
    sa.Index("ix_report_key", "department_id", "fiscal_year", "doc_kind"),
)

fact = sa.Table(
    "fact", metadata,
    _id(fact_id_seq, "fact_id"),
    sa.Column("report_id", sa.BigInteger, sa.ForeignKey("report.report_id"), nullable=False),
    sa.Column("department_id", sa.BigInteger, sa.ForeignKey("department.department_id")),
    sa.Column("year", sa.Integer),
    sa.Column("indicator_code", sa.String, sa.ForeignKey("indicator.code"), nullable=False),
    sa.Column("measure", sa.String, nullable=False),
    sa.Column("period", sa.String, nullable=False),
    sa.Column("scope", sa.String, nullable=False),
    sa.Column("value", sa.Numeric(20, 6), nullable=False),
    sa.Column("unit", sa.String),
    sa.Column("approximate", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("compared_to", sa.Integer),
    sa.Column("raw_value", sa.String),
    sa.Column("raw_unit", sa.String),
    sa.Column("quote", sa.String),
    sa.Column("start_offset", sa.Integer),
    sa.Column("end_offset", sa.Integer),
    sa.Column("section", sa.String),
    sa.Column("rule", sa.String),
    sa.Index("ix_fact_star", "department_id", "year", "indicator_code"),
    sa.Index("ix_fact_report", "report_id"),
)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),  # SERIAL otherwise, unknown to DuckDB
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
)

TABLES = ("department", "department_alias", "indicator", "report", "fact", "schema_version")


def _dialect():
    """duckdb_engine's dialect; checked to compile sequences, DECIMAL and CHECK as DuckDB accepts them."""
    from duckdb_engine import Dialect

    return Dialect()


def table_ddl() -> list[str]:
    """CREATE SEQUENCE / CREATE TABLE statements (idempotent) for every table, in dependency order."""
    d = _dialect()
    out = [str(CreateSequence(s, if_not_exists=True).compile(dialect=d)).strip()
           for s in (department_id_seq, report_id_seq, fact_id_seq)]
    for t in metadata.sorted_tables:
        out.append(str(CreateTable(t, include_foreign_key_constraints=[], if_not_exists=True)
                       .compile(dialect=d)).strip())
    return out


def index_ddl() -> list[str]:
    """CREATE INDEX IF NOT EXISTS for the secondary indexes declared on the tables."""
    d = _dialect()
    return [str(CreateIndex(ix, if_not_exists=True).compile(dialect=d)).strip()
            for t in metadata.sorted_tables for ix in sorted(t.indexes, key=lambda i: i.name)]


_FACT_COLUMNS = """
    d.name AS department, f.year, f.indicator_code AS indicator, i.name AS indicator_name,
    f.measure, f.value, f.unit, f.period, f.scope, f.approximate, f.quote, r.source, f.section,
    r.doc_kind, d.region, r.fiscal_year AS report_year, f.compared_to, f.rule, f.start_offset,
    f.end_offset, r.sha256, i.category, f.report_id"""

_FACT_FROM = """
FROM fact f
JOIN report r ON r.report_id = f.report_id
LEFT JOIN department d ON d.department_id = f.department_id
LEFT JOIN indicator i ON i.code = f.indicator_code"""

VIEWS = {
    # one row per fact of a current report: the table to query ad hoc
    "facts": f"CREATE OR REPLACE VIEW facts AS SELECT {_FACT_COLUMNS}{_FACT_FROM}\nWHERE r.status = 'current'",
    # every fact ever loaded, superseded versions included, with the report's status
    "all_facts": f"CREATE OR REPLACE VIEW all_facts AS SELECT {_FACT_COLUMNS}, r.status{_FACT_FROM}",
}

FACTS_COLUMNS = ("department", "year", "indicator", "indicator_name", "measure", "value", "unit", "period",
                 "scope", "approximate", "quote", "source", "section", "doc_kind", "region", "report_year",
                 "compared_to", "rule", "start_offset", "end_offset", "sha256", "category", "report_id")


def create_tables(con) -> None:
    for stmt in table_ddl():
        con.execute(stmt)


def create_indexes(con) -> None:
    for stmt in index_ddl():
        con.execute(stmt)


def create_views(con) -> None:
    for stmt in VIEWS.values():
        con.execute(stmt)


# DuckDB 2 keeps a result open after fetchone() (or an execute() never fetched) and then refuses
# register()/sql() on that connection until it is drained; these helpers always drain.

def first_row(con, sql: str, params=None):
    """The first row of `sql` (or None), with the result fully consumed."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def settle(con) -> None:
    """Drain a result a caller left open on `con`, so register()/sql() work again."""
    con.execute("SELECT 1").fetchall()


# When a department-year has several values for one indicator, the canned queries keep the best by this rank
# (0 is best): an exact figure before an approximate one (100余家), the report of that very year before a later
# report that restates it, then final accounts > performance evaluation > budget > unknown.
MACROS = (
    """CREATE OR REPLACE MACRO pick_rank(approximate, report_year, fact_year, doc_kind) AS
       approximate::INT * 8 + (report_year IS DISTINCT FROM fact_year)::INT * 4
       + CASE doc_kind WHEN 'final_accounts' THEN 0 WHEN 'performance_evaluation' THEN 1
                       WHEN 'budget' THEN 2 ELSE 3 END""",
)


def create_macros(con) -> None:
    """The SQL macros of MACROS (idempotent)."""
    for sql in MACROS:
        con.execute(sql)
