"""Opening the warehouse file: DuckDB connections with the schema migrated, and a SQLAlchemy engine.

DuckDB lets one process write a file at a time; the lock error another process gets is turned into
WarehouseBusy so the CLI can print one line instead of a traceback.
"""

from __future__ import annotations

import os

import duckdb

from yearwise.warehouse.migrations import SCHEMA_VERSION, SchemaTooNew, current_version, migrate
from yearwise.warehouse.schema import settle

DEFAULT_DB = "yearwise.duckdb"
MEMORY = (":memory:", "")


class WarehouseError(Exception):
    """The warehouse file cannot be used; str() is one line naming the file and the cause."""


class WarehouseBusy(WarehouseError):
    """Another process holds the file's write lock."""

    def __init__(self, path: str):
        self.path = str(path)
        super().__init__(f"{self.path}: warehouse is busy (another yearwise process is writing to it); "
                         "try again when it finishes")


def default_path() -> str:
    """YEARWISE_DB, else ./yearwise.duckdb."""
    return os.environ.get("YEARWISE_DB") or DEFAULT_DB


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def _open(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as e:
        msg = str(e)
        if "lock" in msg.lower():
            raise WarehouseBusy(path) from None
        raise WarehouseError(f"{path}: cannot open the warehouse: {_one_line(e)}") from None
    except duckdb.ConnectionException as e:
        if "different configuration" in str(e):
            mode = "writable" if read_only else "read-only"
            raise WarehouseError(f"{path}: already open {mode} in this process; close that connection "
                                 "first (DuckDB allows one mode per file per process)") from None
        raise WarehouseError(f"{path}: cannot open the warehouse: {_one_line(e)}") from None
    except duckdb.Error as e:
        raise WarehouseError(f"{path}: not a usable DuckDB warehouse: {_one_line(e)}") from None


def connect(path: str | os.PathLike | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to the warehouse; a writable one creates the schema and runs forward migrations.

    Raises WarehouseBusy if another process is writing the file, WarehouseError for any other one-line cause.
    """
    path = os.fspath(path) if path is not None else default_path()
    if read_only and path not in MEMORY and not os.path.exists(path):
        raise WarehouseError(f"{path}: no warehouse file there (nothing has been loaded yet)")
    con = _open(path, read_only)
    try:
        if read_only:
            version = current_version(con)
            if version < SCHEMA_VERSION:
                # an older file: upgrade it once with a short writable connection, then read it
                con.close()
                connect(path).close()
                con = _open(path, read_only)
            elif version > SCHEMA_VERSION:
                raise SchemaTooNew(f"warehouse schema v{version} is newer than this yearwise understands "
                                   f"(v{SCHEMA_VERSION}); upgrade yearwise")
        else:
            migrate(con)
    except SchemaTooNew as e:
        con.close()
        raise WarehouseError(f"{path}: {e}") from None
    except duckdb.TransactionException as e:
        con.close()
        raise WarehouseError(f"{path}: could not update the schema: {_one_line(e)}") from None
    except BaseException:
        con.close()
        raise
    settle(con)  # leave no open result behind: DuckDB 2 would refuse the caller's register()/sql()
    return con


def engine(path: str | os.PathLike | None = None, *, read_only: bool = False):
    """A SQLAlchemy Engine on the same file via duckdb-engine, for pandas.read_sql / polars.read_database.

    Connections come from connect() (same DuckDB config, so they coexist with connect() in one process)
    and are closed after each use (NullPool), so the engine never keeps the file locked.
    """
    import sqlalchemy as sa
    from duckdb_engine import ConnectionWrapper
    from sqlalchemy.pool import NullPool, StaticPool

    _register_dialect()
    path = os.fspath(path) if path is not None else default_path()
    if path in MEMORY:
        con = connect(":memory:")
        return sa.create_engine("duckdb+yearwise:///:memory:", creator=lambda: ConnectionWrapper(con),
                                poolclass=StaticPool)
    return sa.create_engine(f"duckdb+yearwise:///{path}",
                            creator=lambda: ConnectionWrapper(connect(path, read_only=read_only)),
                            poolclass=NullPool)


def _register_dialect() -> None:
    from sqlalchemy.dialects import registry

    registry.register("duckdb.yearwise", "yearwise.warehouse.connection", "YearwiseDialect")


def _sa_type(data_type: str):
    """A SQLAlchemy type for a DuckDB information_schema data_type string."""
    import re

    import sqlalchemy as sa

    m = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", data_type)
    if m:
        return sa.Numeric(int(m[1]), int(m[2]))
    simple = {"BIGINT": sa.BigInteger(), "INTEGER": sa.Integer(), "SMALLINT": sa.SmallInteger(),
              "TINYINT": sa.SmallInteger(), "HUGEINT": sa.Numeric(38, 0), "VARCHAR": sa.String(),
              "BOOLEAN": sa.Boolean(), "DOUBLE": sa.Float(), "FLOAT": sa.Float(), "REAL": sa.Float(),
              "DATE": sa.Date(), "TIME": sa.Time(), "TIMESTAMP": sa.DateTime(),
              "TIMESTAMP WITH TIME ZONE": sa.DateTime(timezone=True), "BLOB": sa.LargeBinary(),
              "UUID": sa.Uuid(), "JSON": sa.JSON(), "INTERVAL": sa.Interval()}
    return simple.get(data_type, sa.types.NullType())


def _dialect_class():
    from duckdb_engine import Dialect
    from sqlalchemy import bindparam, text
    from sqlalchemy.engine.reflection import ObjectKind

    class YearwiseDialect(Dialect):
        """duckdb-engine with column reflection read from information_schema.

        SQLAlchemy 2.1's PostgreSQL column query joins pg_catalog.pg_collation, which DuckDB 2 lacks, so
        Inspector.get_columns (and MetaData.reflect) fail on the stock dialect.
        """

        supports_statement_cache = False  # as duckdb-engine declares; said explicitly to silence SQLAlchemy

        def get_multi_columns(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
            kinds = []
            if kind is None or ObjectKind.TABLE in kind:
                kinds.append("BASE TABLE")
            if kind is None or ObjectKind.VIEW in kind:
                kinds.append("VIEW")
            sql = ("SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default "
                   "FROM information_schema.columns c JOIN information_schema.tables t "
                   "ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema "
                   "AND t.table_name = c.table_name "
                   "WHERE c.table_catalog = current_database() "
                   "AND c.table_schema = coalesce(:schema, current_schema()) AND t.table_type IN :kinds")
            params = {"schema": schema, "kinds": kinds}
            binds = [bindparam("kinds", expanding=True)]
            if filter_names:
                sql += " AND c.table_name IN :names"
                params["names"] = list(filter_names)
                binds.append(bindparam("names", expanding=True))
            sql += " ORDER BY c.table_name, c.ordinal_position"
            out: dict = {}
            for table, name, data_type, nullable, default in connection.execute(
                    text(sql).bindparams(*binds), params):
                out.setdefault((schema, table), []).append({
                    "name": name, "type": _sa_type(data_type), "nullable": nullable == "YES",
                    "default": default, "autoincrement": False, "comment": None})
            return out.items()

    return YearwiseDialect


def __getattr__(name: str):
    if name == "YearwiseDialect":  # built on first use: importing duckdb_engine costs SQLAlchemy's import time
        return _dialect_class()
    raise AttributeError(name)
