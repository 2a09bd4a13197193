"""Forward-only schema migrations, recorded in `schema_version`, applied in one transaction.

Every step must be idempotent (IF NOT EXISTS, ADD COLUMN IF NOT EXISTS): a fresh file runs them all
on top of tables already created from the current MetaData. Views are recreated after any step ran,
so changing a view means adding a step (even an empty one) and bumping SCHEMA_VERSION.
"""

from __future__ import annotations

from typing import Callable

from yearwise.warehouse.results import first_row


class _Schema:
    """yearwise.warehouse.schema on first use: its DDL is compiled by SQLAlchemy, which only a migration needs,
    so opening an up-to-date warehouse imports none of it."""

    def __getattr__(self, name):
        from yearwise.warehouse import schema as module

        return getattr(module, name)


schema = _Schema()


class SchemaTooNew(Exception):
    """The file was written by a newer yearwise; carried up as a WarehouseError by connect()."""


def _v1_tables(con) -> None:
    """v1: sequences and the six tables of the star schema."""
    schema.create_tables(con)


def _v2_indexes(con) -> None:
    """v2: secondary indexes for the star key and for finding a report's earlier versions."""
    schema.create_indexes(con)


def _v3_macros(con) -> None:
    """v3: SQL macros the canned queries share (one definition of which value wins)."""
    schema.create_macros(con)


def _add_fact_columns(con) -> None:
    """Add the columns of the fact spec that the file's `fact` table lacks (nullable ones only: rows exist)."""
    d = schema._dialect()
    have = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'fact' AND table_schema = current_schema()").fetchall()}
    for column in schema.fact.columns:
        if column.name not in have:
            sql_type = column.type.compile(dialect=d)
            con.execute(f'ALTER TABLE fact ADD COLUMN IF NOT EXISTS "{column.name}" {sql_type}')


def _v4_cell_columns(con) -> None:
    """v4: where a table cell stood (page, table, row_code, row_label, column, box x0 y0 x1 y1); the views show
    these and raw_value/raw_unit."""
    _add_fact_columns(con)


def _v5_report_identity(con) -> None:
    """v5: a report's entity level, identity evidence and flags; facts of unidentified reports and conflicting
    values get views of their own."""
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS entity_level VARCHAR DEFAULT 'department'")
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS identity VARCHAR")
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS flags VARCHAR")


def _v6_checks(con) -> None:
    """v6: the checks a warehouse evaluates (checks, check_fact), restatement marks, checks_failed in the views."""
    schema.create_tables(con)
    schema.create_indexes(con)


def _v7_value_precision(con) -> None:
    """v7: values keep the precision written (DECIMAL(26,12): 0.0000001万元 was stored as 0 in DECIMAL(20,6)) and
    a report records what reading it had to repair or refuse (`warnings`)."""
    have = first_row(con, "SELECT data_type FROM information_schema.columns WHERE table_name = 'fact' "
                          "AND column_name = 'value' AND table_schema = current_schema()")
    if have and have[0].replace(" ", "") != schema.VALUE_TYPE.replace(" ", ""):
        # DuckDB alters no column of a table with indexes: drop the fact table's, alter, create them again
        for ix in sorted(schema.fact.indexes, key=lambda i: i.name):
            con.execute(f'DROP INDEX IF EXISTS "{ix.name}"')
        con.execute(f"ALTER TABLE fact ALTER COLUMN value TYPE {schema.VALUE_TYPE}")
        schema.create_indexes(con)
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS warnings VARCHAR")


def _v8_versions(con) -> None:
    """v8: a report's stated date and correction mark: which version is current is decided by the documents."""
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS stated_date DATE")
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS correction BOOLEAN")


def _v9_distinct(con) -> None:
    """v9: a report's source as an absolute path (source_path) beside the path as given; the facts_distinct view."""
    con.execute("ALTER TABLE report ADD COLUMN IF NOT EXISTS source_path VARCHAR")


def _v10_table_sums(con) -> None:
    """v10: table arithmetic the reader evaluated (table_sum), evaluated into `checks` with its table, row and column."""
    schema.create_tables(con)
    for column in ("table", "row_code", "column"):
        con.execute(f'ALTER TABLE checks ADD COLUMN IF NOT EXISTS "{column}" VARCHAR')


def _v11_figures(con) -> None:
    """v11: the tables the canned queries read (`figure`, `department_budget`, `department_year`, `indicator_year`:
    warehouse.figures), built on first use."""
    schema.create_tables(con)


def _v12_indicator_year_order(con) -> None:
    """v12: `indicator_year` holds the department and indicator names and is stored in coverage's answer order; the
    derived tables are rebuilt on first use (the stamp now covers the names, so the stored one no longer matches)."""
    con.execute("DROP TABLE IF EXISTS indicator_year")  # derived, never a source: made again with its new columns
    schema.create_tables(con)
    con.execute("DELETE FROM figure_stamp")


def _v13_budget_figure(con) -> None:
    """v13: `budget_figure`, budget_trend's rows in its answer order; the stamp is cleared so that the first query
    builds it (an empty table under a matching stamp would answer nothing)."""
    schema.create_tables(con)
    con.execute("DELETE FROM figure_stamp")


MIGRATIONS: list[tuple[int, Callable]] = [
    (1, _v1_tables),
    (2, _v2_indexes),
    (3, _v3_macros),
    (4, _v4_cell_columns),
    (5, _v5_report_identity),
    (6, _v6_checks),
    (7, _v7_value_precision),
    (8, _v8_versions),
    (9, _v9_distinct),
    (10, _v10_table_sums),
    (11, _v11_figures),
    (12, _v12_indicator_year_order),
    (13, _v13_budget_figure),
]
SCHEMA_VERSION: int = MIGRATIONS[-1][0]


def current_version(con) -> int:
    """The schema version recorded in the file; 0 for a file with no yearwise schema yet."""
    exists = first_row(con,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version' "
        "AND table_schema = current_schema()")[0]
    if not exists:
        return 0
    return first_row(con, "SELECT coalesce(max(version), 0) FROM schema_version")[0]


def migrate(con, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to `target` (default SCHEMA_VERSION); the versions applied."""
    target = SCHEMA_VERSION if target is None else target
    current = current_version(con)
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(f"warehouse schema v{current} is newer than this yearwise understands "
                           f"(v{SCHEMA_VERSION}); upgrade yearwise")
    todo = [(v, step) for v, step in MIGRATIONS if current < v <= target]
    if not todo:
        return []
    con.begin()
    try:
        for v, step in todo:
            step(con)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [v])
        schema.create_views(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return [v for v, _ in todo]
