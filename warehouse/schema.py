"""The star schema as one SQLAlchemy Core MetaData, and the DuckDB DDL compiled from it.

`fact` is keyed by department, year and indicator; `report` says which document each fact came from
and whether that document is the current version. Foreign keys are declared for SQLAlchemy joins but
not emitted as DDL: DuckDB refuses ALTER TABLE on a table other tables reference, which would block
forward migrations, and load.py keeps the references consistent inside each transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateSequence, CreateTable

from yearwise.ingest.families import rank_sql
from yearwise.ingest.limits import VALUE_DIGITS, VALUE_SCALE
from yearwise.ingest.standard_tables import rank_sql as table_rank_sql
from yearwise.ingest.subjects import level_sql, system_sql
from yearwise.ingest.model import FACT_COLUMNS

metadata = sa.MetaData()

department_id_seq = sa.Sequence("department_id_seq", metadata=metadata)
report_id_seq = sa.Sequence("report_id_seq", metadata=metadata)
fact_id_seq = sa.Sequence("fact_id_seq", metadata=metadata)
check_id_seq = sa.Sequence("check_id_seq", metadata=metadata)


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
    sa.Column("source", sa.String, nullable=False, comment="the path as given to ingest"),
    sa.Column("doc_kind", sa.String, nullable=False),
    sa.Column("department_id", sa.BigInteger, sa.ForeignKey("department.department_id")),
    sa.Column("fiscal_year", sa.Integer),
    sa.Column("pages", sa.Integer),
    sa.Column("format", sa.String),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column("parser_version", sa.String),
    sa.Column("status", sa.String, nullable=False, server_default="current"),
    sa.Column("superseded_by", sa.BigInteger),
    sa.Column("entity_level", sa.String, nullable=False, server_default="department",
              comment="department (consolidated 部门) | unit (单位, 本级): reports of two levels never merge"),
    sa.Column("identity", sa.String, comment="where department, year and kind were read: place and line"),
    sa.Column("flags", sa.String, comment="doubts about the identity: placeholder, department given …"),
    sa.Column("warnings", sa.String, comment="what reading it had to repair or refuse, '; '-joined (NULL: nothing)"),
    sa.Column("stated_date", sa.Date, comment="the date the document states (cover or signature): which version"),
    sa.Column("correction", sa.Boolean, comment="the document calls itself a correction (更正/修订)"),
    sa.Column("source_path", sa.String, comment="the source as an absolute path, resolved at ingest (v9)"),
    sa.CheckConstraint("status IN ('current', 'superseded')", name="report_status"),
    sa.Index("ix_report_key", "department_id", "fiscal_year", "doc_kind"),
)

# How the fact spec (yearwise.ingest.model.FACT_COLUMNS) is stored: the SQL type of each spec type, the fields
# stored under another name, and the one not stored at all (the indicator's name lives in `indicator`).
SQL_TYPES: dict[str, Callable[[], sa.types.TypeEngine]] = {"str": sa.String, "int": sa.Integer, "float": sa.Float, "bool": sa.Boolean,
             "decimal": lambda: sa.Numeric(VALUE_DIGITS, VALUE_SCALE)}
STORED_AS = {"indicator": "indicator_code", "start": "start_offset", "end": "end_offset"}
NOT_STORED = {"indicator_name"}
_DEFAULTS = {"approximate": sa.false()}


def fact_storage() -> list[tuple[str, str]]:
    """(spec field, column of `fact`) for every stored field of the fact spec, in the spec's order."""
    return [(c.name, STORED_AS.get(c.name, c.name)) for c in FACT_COLUMNS if c.name not in NOT_STORED]


def _fact_column(c) -> sa.Column:
    ref = sa.ForeignKey("indicator.code") if c.name == "indicator" else None
    args = (ref,) if ref is not None else ()
    return sa.Column(STORED_AS.get(c.name, c.name), SQL_TYPES[c.type](), *args, nullable=c.nullable,
                     server_default=_DEFAULTS.get(c.name), comment=c.meaning)


fact = sa.Table(
    "fact", metadata,
    _id(fact_id_seq, "fact_id"),
    sa.Column("report_id", sa.BigInteger, sa.ForeignKey("report.report_id"), nullable=False),
    sa.Column("department_id", sa.BigInteger, sa.ForeignKey("department.department_id")),
    *(_fact_column(c) for c in FACT_COLUMNS if c.name not in NOT_STORED),
    sa.Index("ix_fact_star", "department_id", "year", "indicator_code"),
    sa.Index("ix_fact_report", "report_id"),
)

checks = sa.Table(
    "checks", metadata,
    sa.Column("check_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("check", sa.String, nullable=False, comment="rule name, e.g. budget.parts, report.stated_rate"),
    sa.Column("category", sa.String, nullable=False, comment="report | cross_year | version | plausibility | table"),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("department_id", sa.BigInteger, sa.ForeignKey("department.department_id")),
    sa.Column("year", sa.Integer),
    sa.Column("doc_kind", sa.String),
    sa.Column("indicator", sa.String),
    sa.Column("stated", sa.Numeric(20, 6), comment="the value the report states"),
    sa.Column("expected", sa.Numeric(20, 6), comment="what the other figures give"),
    sa.Column("difference", sa.Numeric(20, 6)),
    sa.Column("tolerance", sa.Numeric(20, 6), comment="from the printed precision of every figure involved"),
    sa.Column("message", sa.String),
    sa.Column("report_id", sa.BigInteger, sa.ForeignKey("report.report_id")),
    sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column("table", sa.String, comment="table arithmetic: the table (standard code or printed title)"),
    sa.Column("row_code", sa.String, comment="table arithmetic: the row's 科目编码 (empty for a 合计 row)"),
    sa.Column("column", sa.String, comment="table arithmetic: the column key"),
    sa.CheckConstraint("status IN ('pass', 'fail', 'doubtful', 'cannot')", name="check_status"),
    sa.Index("ix_checks_department", "department_id", "year"),
)

check_fact = sa.Table(
    "check_fact", metadata,
    sa.Column("check_id", sa.BigInteger, sa.ForeignKey("checks.check_id"), primary_key=True, autoincrement=False),
    sa.Column("fact_id", sa.BigInteger, sa.ForeignKey("fact.fact_id"), primary_key=True, autoincrement=False),
    sa.Column("position", sa.Integer, nullable=False, comment="0 is the stated fact"),
    sa.Column("blamed", sa.Boolean, nullable=False, comment="a stated figure the check doubts (not an input to it)"),
    sa.Index("ix_check_fact_fact", "fact_id"),
)

restatement = sa.Table(
    "restatement", metadata,
    sa.Column("report_id", sa.BigInteger, sa.ForeignKey("report.report_id"), primary_key=True, autoincrement=False),
    sa.Column("start_offset", sa.Integer, primary_key=True, autoincrement=False,
              comment="the change fact whose sentence names a comparable-basis restatement"),
    sa.Column("words", sa.String, comment="the sentence after the change that says so"),
)

table_sum = sa.Table(
    "table_sum", metadata,
    sa.Column("report_id", sa.BigInteger, sa.ForeignKey("report.report_id"), primary_key=True, autoincrement=False),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False, comment="the check's place in its report"),
    sa.Column("rule", sa.String, nullable=False, comment="the [[table_sum]] of the checks file: table.children …"),
    sa.Column("table", sa.String, nullable=False),
    sa.Column("page", sa.Integer),
    sa.Column("row_code", sa.String),
    sa.Column("row_label", sa.String),
    sa.Column("column", sa.String),
    sa.Column("whole", sa.Numeric(20, 6), nullable=False, comment="the printed whole, in the table's unit"),
    sa.Column("parts", sa.Numeric(20, 6), nullable=False, comment="the sum of the printed parts"),
    sa.Column("n_parts", sa.Integer, nullable=False),
    sa.Column("unit", sa.String),
    sa.Column("tolerance", sa.Numeric(20, 6), comment="half a printed unit of every figure: within it, rounding"),
    sa.Column("starts", sa.String, comment="start offsets of the whole's and the parts' facts, comma-separated"),
)

# Derived, not a source of truth (warehouse.figures): each department-year's picked value per indicator, measure,
# unit and comparison year, from current reports, FY, department scope; the canned queries read it. Rebuilt from
# the tables above whenever they change (figure_stamp says from which state it was built).
figure = sa.Table(
    "figure", metadata,
    sa.Column("department_id", sa.BigInteger, nullable=False),
    sa.Column("indicator_code", sa.String, nullable=False),
    sa.Column("measure", sa.String, nullable=False),
    sa.Column("unit", sa.String),
    sa.Column("compared_to", sa.Integer, comment="change measures: the year compared with (NULL: not stated)"),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("value", sa.Numeric(VALUE_DIGITS, VALUE_SCALE), nullable=False, comment="the picked fact's value"),
    sa.Column("pick_rank", sa.SmallInteger, nullable=False, comment="pick_rank, + 16 when a check doubts the value"),
    sa.Column("checks_failed", sa.BigInteger, nullable=False, comment="failed or doubtful checks on the picked fact"),
    sa.Column("fact_id", sa.BigInteger, nullable=False, comment="the picked fact: its quote, source and rule"),
    sa.Column("report_id", sa.BigInteger, nullable=False),
    sa.Column("prior_value", sa.Numeric(VALUE_DIGITS, VALUE_SCALE), comment="the same key's value a year earlier"),
    sa.Column("prior_checks_failed", sa.BigInteger),
    sa.Column("change", sa.Numeric(VALUE_DIGITS + 1, VALUE_SCALE), comment="value - prior_value"),
    sa.Column("change_rate", sa.Double, comment="percent, 2 decimals; NULL when the prior value is missing or 0"),
    sa.Column("best", sa.Boolean, nullable=False, comment="first of the indicator's figures of this measure and year "
              "across units and comparison years (a change: compared with the year before, or not saying)"),
)

# Derived from `figure` (warehouse.figures), for the budget_trend query: the budget and spending levels in 万元
# (total, basic, project) with their names, stored in the answer's order (department name, indicator code, year)
budget_figure = sa.Table(
    "budget_figure", metadata,
    sa.Column("department_id", sa.BigInteger, nullable=False),
    sa.Column("department", sa.String, nullable=False),
    sa.Column("indicator_code", sa.String, nullable=False),
    sa.Column("indicator_name", sa.String),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("value", sa.Numeric(VALUE_DIGITS, VALUE_SCALE), nullable=False),
    sa.Column("prior_value", sa.Numeric(VALUE_DIGITS, VALUE_SCALE)),
    sa.Column("change", sa.Numeric(VALUE_DIGITS + 1, VALUE_SCALE)),
    sa.Column("change_rate", sa.Double),
    sa.Column("checks_failed", sa.BigInteger, nullable=False, comment="on the value and the prior value"),
    sa.Column("fact_id", sa.BigInteger, nullable=False, comment="the picked fact: its quote, source and rule"),
)

# Derived from `figure` (warehouse.figures), for the budget_variance query: per department, year and part (total,
# basic, project) the picked 年初预算, 全年预算 and 决算, the stated rates, and what they give
department_budget = sa.Table(
    "department_budget", metadata,
    sa.Column("department_id", sa.BigInteger, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("part_order", sa.SmallInteger, nullable=False, comment="1 total, 2 basic, 3 project"),
    sa.Column("part", sa.String, nullable=False),
    sa.Column("initial_budget", sa.Numeric(VALUE_DIGITS, VALUE_SCALE)),
    sa.Column("full_year_budget", sa.Numeric(VALUE_DIGITS, VALUE_SCALE)),
    sa.Column("final_spending", sa.Numeric(VALUE_DIGITS, VALUE_SCALE)),
    sa.Column("adjustment", sa.Numeric(VALUE_DIGITS + 1, VALUE_SCALE)),
    sa.Column("variance", sa.Numeric(VALUE_DIGITS + 1, VALUE_SCALE)),
    sa.Column("variance_rate", sa.Double),
    sa.Column("stated_variance_rate", sa.Numeric(VALUE_DIGITS, VALUE_SCALE)),
    sa.Column("execution_rate", sa.Double),
    sa.Column("stated_execution_rate", sa.Numeric(VALUE_DIGITS, VALUE_SCALE)),
    sa.Column("checks_failed", sa.BigInteger, nullable=False),
)

# Derived like `figure` (warehouse.figures), for the coverage query: what each department-year holds (all facts of
# current reports, any measure, scope or period; department or year NULL for facts without one) ...
department_year = sa.Table(
    "department_year", metadata,
    sa.Column("department_id", sa.BigInteger),
    sa.Column("year", sa.Integer),
    sa.Column("indicators", sa.BigInteger, nullable=False, comment="distinct indicator codes"),
    sa.Column("facts", sa.BigInteger, nullable=False),
    sa.Column("level_facts", sa.BigInteger, nullable=False, comment="FY department-scope levels"),
    sa.Column("documents", sa.BigInteger, nullable=False, comment="distinct sources"),
    sa.Column("doc_kinds", sa.String, comment="their kinds, sorted, comma-separated"),
    sa.Column("missing_core", sa.ARRAY(sa.String), comment="core budget indicators with no FY department level"),
)

# ... and each indicator in it
indicator_year = sa.Table(
    "indicator_year", metadata,
    sa.Column("department_id", sa.BigInteger),
    sa.Column("year", sa.Integer),
    sa.Column("indicator_code", sa.String, nullable=False),
    sa.Column("department", sa.String, comment="its name: rows are stored in order of name, year, indicator_code"),
    sa.Column("indicator_name", sa.String),
    sa.Column("facts", sa.BigInteger, nullable=False),
    sa.Column("level_facts", sa.BigInteger, nullable=False),
    sa.Column("documents", sa.BigInteger, nullable=False),
    sa.Column("doc_kinds", sa.String),
)

figure_stamp = sa.Table(
    "figure_stamp", metadata,
    sa.Column("stamp", sa.String, nullable=False, comment="the state of fact, report and checks the derived tables were built from"),
)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),  # SERIAL otherwise, unknown to DuckDB
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
)

TABLES = ("department", "department_alias", "indicator", "report", "fact", "checks", "check_fact", "restatement",
          "table_sum", "figure", "budget_figure", "department_budget", "department_year", "indicator_year",
          "figure_stamp",
          "schema_version")


def _dialect():
    """duckdb_engine's dialect; checked to compile sequences, DECIMAL and CHECK as DuckDB accepts them."""
    from duckdb_engine import Dialect

    return Dialect()


def table_ddl() -> list[str]:
    """CREATE SEQUENCE / CREATE TABLE statements (idempotent) for every table, in dependency order."""
    d = _dialect()
    out = [str(CreateSequence(s, if_not_exists=True).compile(dialect=d)).strip()
           for s in (department_id_seq, report_id_seq, fact_id_seq, check_id_seq)]
    for t in metadata.sorted_tables:
        out.append(str(CreateTable(t, include_foreign_key_constraints=[], if_not_exists=True)
                       .compile(dialect=d)).strip())
    return out


def index_ddl() -> list[str]:
    """CREATE INDEX IF NOT EXISTS for the secondary indexes declared on the tables."""
    d = _dialect()
    return [str(CreateIndex(ix, if_not_exists=True).compile(dialect=d)).strip()
            for t in metadata.sorted_tables for ix in sorted(t.indexes, key=lambda i: i.name or "")]  # all named


# The views' columns: these first, in this order (as since v1), then every other field of the fact spec.
# A name maps to its SQL; a fact field not listed here reads its stored column.
_VIEW_LEAD = {
    "department": "d.name", "year": None, "indicator": None, "indicator_name": "i.name", "measure": None,
    "value": None, "unit": None, "period": None, "scope": None, "approximate": None, "quote": None,
    "source": "r.source", "source_path": "r.source_path", "section": None, "doc_kind": "r.doc_kind", "region": "d.region",
    "report_year": "r.fiscal_year", "compared_to": None, "rule": None, "start_offset": "f.start_offset",
    "end_offset": "f.end_offset", "sha256": "r.sha256", "category": "i.category", "report_id": "f.report_id",
    "entity_level": "r.entity_level",
}


def _view_columns() -> list[tuple[str, str]]:
    """(view column, SQL expression) for the `facts` view."""
    stored = dict(fact_storage())
    out = [(name, sql or f'f."{stored[name]}"') for name, sql in _VIEW_LEAD.items()]
    shown = set(_VIEW_LEAD) | {"start", "end"}
    out += [(name, f'f."{column}"') for name, column in stored.items() if name not in shown]
    # how many failed or doubtful checks doubt this fact as a stated figure (warehouse.checks)
    out.append(("checks_failed", "coalesce(cf.checks_failed, 0)"))
    return out


FACTS_COLUMNS = tuple(name for name, _ in _view_columns())
_FACT_SELECT = ", ".join(f'{sql} AS "{name}"' for name, sql in _view_columns())

_FACT_FROM = """
FROM fact f
JOIN report r ON r.report_id = f.report_id
LEFT JOIN department d ON d.department_id = f.department_id
LEFT JOIN indicator i ON i.code = f.indicator_code
LEFT JOIN fact_checks_failed cf ON cf.fact_id = f.fact_id"""

# the columns of the picked fact that facts_distinct shows after its key
DISTINCT_PICKED = ("indicator_name", "value", "unit", "approximate", "raw_value", "raw_unit", "quote", "source",
                   "source_path", "page", "section", "rule", "doc_kind", "report_year", "start_offset", "end_offset",
                   "sha256", "category", "region")

VIEWS = {
    # per fact, how many failed or doubtful checks doubt it as a stated figure (facts with none have no row)
    "fact_checks_failed": "CREATE OR REPLACE VIEW fact_checks_failed AS SELECT cf.fact_id, count(*) AS checks_failed "
                          "FROM check_fact cf JOIN checks c USING (check_id) "
                          "WHERE c.status IN ('fail', 'doubtful') AND cf.blamed GROUP BY cf.fact_id",
    # one row per fact of a current report whose department is known: the table to query ad hoc
    "facts": f"CREATE OR REPLACE VIEW facts AS SELECT {_FACT_SELECT}{_FACT_FROM}\n"
             "WHERE r.status = 'current' AND f.department_id IS NOT NULL",
    # facts of reports whose department could not be found: kept apart until `ingest --department` names it
    "unidentified_facts": f"CREATE OR REPLACE VIEW unidentified_facts AS SELECT {_FACT_SELECT}, r.identity"
                          f"{_FACT_FROM}\nWHERE r.status = 'current' AND f.department_id IS NULL",
    # every fact ever loaded, superseded versions included, with the report's status
    "all_facts": f"CREATE OR REPLACE VIEW all_facts AS SELECT {_FACT_SELECT}, r.status{_FACT_FROM}",
    # every department-year-indicator-measure (same period, scope and entity level) with more than one value
    # among current facts: the values, and each value's quote and source
    # one row per figure (department, year, indicator, measure, period, scope, compared_to, entity level): the
    # value picked as the canned queries pick it (pick_rank, then the largest value), with the picked fact's
    # provenance, how many facts state the figure (mentions) and how many different values they give (n_values);
    # SUM over it counts each figure once, where `facts` repeats a figure as often as reports restate it
    "facts_distinct": f"""CREATE OR REPLACE VIEW facts_distinct AS
SELECT department, year, indicator, measure, period, scope, compared_to, entity_level, unnest(picked),
       mentions, n_values, checks_failed
FROM (
    SELECT department, year, indicator, measure, period, scope, compared_to, entity_level,
           arg_min({{{', '.join(f"'{c}': {c}" for c in DISTINCT_PICKED)}}},
                   (pick_rank(approximate, report_year, year, doc_kind), -value, source, start_offset)) AS picked,
           count(*) AS mentions, count(DISTINCT value) AS n_values, max(checks_failed) AS checks_failed
    FROM facts
    GROUP BY department, year, indicator, measure, period, scope, compared_to, entity_level
)""",
    "conflicts": """CREATE OR REPLACE VIEW conflicts AS
SELECT department, year, indicator, measure, period, scope, entity_level,
       count(DISTINCT value) AS n_values,
       list(DISTINCT value ORDER BY value) AS distinct_values,
       list(CAST(value AS VARCHAR) || ' ' || coalesce(unit, '') || ' ← ' || quote ORDER BY value, source) AS quotes,
       list(DISTINCT source ORDER BY source) AS sources
FROM facts
GROUP BY department, year, indicator, measure, period, scope, entity_level
HAVING count(DISTINCT value) > 1""",
    # the subject dimension: every classification code (科目编码) the tables print, its system (功能分类,
    # 部门经济分类, 政府经济分类, 收入; ingest/data/subjects.csv), level (类/款/项), parent, and latest printed name
    "subject": f"""CREATE OR REPLACE VIEW subject AS
SELECT row_code AS code, {system_sql("row_code")} AS system, {level_sql("row_code")} AS level,
       CASE WHEN length(row_code) > 3 THEN left(row_code, length(row_code) - 2) END AS parent,
       arg_max(row_label, year) AS name, min(year) AS first_year, max(year) AS last_year,
       count(DISTINCT department) AS departments, count(*) AS facts
FROM facts WHERE row_code IS NOT NULL
GROUP BY row_code""",
    # the names each code was printed with, by year: a code renamed by the Ministry of Finance shows here
    "subject_names": """CREATE OR REPLACE VIEW subject_names AS
SELECT row_code AS code, year, row_label AS name, count(DISTINCT department) AS departments, count(*) AS facts
FROM facts WHERE row_code IS NOT NULL AND row_label IS NOT NULL
GROUP BY row_code, year, row_label""",
}


def create_tables(con) -> None:
    for stmt in table_ddl():
        con.execute(stmt)


VALUE_TYPE = f"DECIMAL({VALUE_DIGITS}, {VALUE_SCALE})"  # the SQL type of a fact's value (ingest.limits)


def create_indexes(con) -> None:
    for stmt in index_ddl():
        con.execute(stmt)


def create_views(con) -> None:
    create_macros(con)  # facts_distinct picks with pick_rank (idempotent: a file at any version gets it)
    for stmt in VIEWS.values():
        con.execute(stmt)


from yearwise.warehouse.results import first_row, settle  # noqa: E402,F401  (their home before results.py)


# When a department-year has several values for one indicator, the canned queries keep the best by this rank
# (0 is best): an exact figure before an approximate one (100余家), the report of that very year before a later
# report that restates it, then by the report family's rank (ingest/data/families.toml: final accounts >
# performance evaluation > budget > the rest > unknown).
def macros() -> tuple[str, ...]:
    """The SQL macros, pick_rank's family ranks taken from the registered report families."""
    return (
        f"""CREATE OR REPLACE MACRO pick_rank(approximate, report_year, fact_year, doc_kind) AS
       approximate::INT * 8 + (report_year IS DISTINCT FROM fact_year)::INT * 4
       + {rank_sql("doc_kind")}""",
        # which table's figure a query picks when several tables print the same 科目编码 (ingest/data/tables.toml)
        f"CREATE OR REPLACE MACRO table_rank(t) AS {table_rank_sql('t')}",
    )


def create_macros(con) -> None:
    """The SQL macros (idempotent): recreated when a document is loaded, so a family registered later ranks.
    One round trip for all of them."""
    con.execute(";\n".join(macros()))
