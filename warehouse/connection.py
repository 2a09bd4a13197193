"""Opening the warehouse file: DuckDB connections with the schema migrated, and a SQLAlchemy engine.

DuckDB lets one process write a file at a time; the lock error another process gets is turned into
WarehouseBusy so the CLI can print one line instead of a traceback.
"""

from __future__ import annotations

import os
from typing import Any

import duckdb

from yearwise.warehouse.migrations import SCHEMA_VERSION, SchemaTooNew, current_version, migrate
from yearwise.warehouse.results import settle

DEFAULT_DB = "yearwise.duckdb"
MEMORY = (":memory:", "")


class WarehouseError(Exception):
    """The warehouse file cannot be used; str() is one line naming the file and the cause."""


class WarehouseBusy(WarehouseError):
    """Another process holds the file: writing it (any open is refused) or reading it (a write is refused)."""

    def __init__(self, path: str, reading: bool = False):
        self.path = str(path)
        self.reading = reading
        if reading:
            msg = (f"{self.path}: warehouse is busy (another process is reading it, and DuckDB lets a process "
                   "write only while no other has the file open); try again when it finishes")
        else:
            msg = f"{self.path}: warehouse is busy (another yearwise process is writing to it); try again when it finishes"
        super().__init__(msg)


# DuckDB settings of every yearwise connection. Without `allow_files` SQL reaches no file but the warehouse
# itself (read_text('/etc/passwd'), read_csv, glob, COPY, ATTACH, http URLs all fail) and never installs or
# loads an extension on its own. DuckDB keeps one configuration per open file per process, and external
# access cannot be switched back on while a database is open, so the choice is made once, at connect.
def duckdb_config(allow_files: bool = False) -> dict:
    """The DuckDB config dict for a yearwise connection; `allow_files` is the user's --allow-files opt-in."""
    return {"enable_external_access": allow_files, "autoinstall_known_extensions": allow_files,
            "autoload_known_extensions": allow_files}


def allow_files_default() -> bool:
    """$YEARWISE_ALLOW_FILES=1 opts in to file access for SQL (what --allow-files sets)."""
    return os.environ.get("YEARWISE_ALLOW_FILES", "").strip().lower() in ("1", "true", "yes")


def default_path() -> str:
    """YEARWISE_DB, else ./yearwise.duckdb."""
    return os.environ.get("YEARWISE_DB") or DEFAULT_DB


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _open(path: str, read_only: bool, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    if path not in MEMORY:
        try:
            with open(path, "rb") as fh:
                head = fh.read(16)
        except OSError:
            head = b""
        if head == _SQLITE_MAGIC:
            raise WarehouseError(f"{path}: an SQLite database, not a yearwise (DuckDB) warehouse")
    try:
        return duckdb.connect(path, read_only=read_only, config=duckdb_config(allow_files))
    except duckdb.IOException as e:
        msg = str(e)
        if "lock" in msg.lower():
            raise WarehouseBusy(path, reading=not read_only and _only_readers(path)) from None
        raise WarehouseError(f"{path}: cannot open the warehouse: {_one_line(e)}") from None
    except duckdb.ConnectionException as e:
        if "different configuration" in str(e):
            if _opens(path, not read_only, allow_files):
                mode = "writable" if read_only else "read-only"
                raise WarehouseError(f"{path}: already open {mode} in this process; close that connection "
                                     "first (DuckDB allows one mode per file per process)") from None
            raise WarehouseError(f"{path}: already open in this process with other settings (file access "
                                 "differs: --allow-files); close that connection first") from None
        raise WarehouseError(f"{path}: cannot open the warehouse: {_one_line(e)}") from None
    except duckdb.Error as e:
        raise WarehouseError(f"{path}: not a usable DuckDB warehouse: {_one_line(e)}") from None


def _opens(path: str, read_only: bool, allow_files: bool) -> bool:
    """True when `path` opens in this mode and configuration (closed again at once)."""
    try:
        duckdb.connect(path, read_only=read_only, config=duckdb_config(allow_files)).close()
    except duckdb.Error:
        return False
    return True


def _only_readers(path: str) -> bool:
    """True when the processes holding `path` only read it: a read-only open still succeeds then."""
    return _opens(path, True, False)


def _user_tables(con) -> list[str]:
    """Tables and views in the file's main database (what a foreign DuckDB file holds)."""
    return [name for (name,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "ORDER BY table_name").fetchall()]


def _foreign(path: str, con, read_only: bool) -> str | None:
    """Why a file without yearwise's schema must not be used (None when it is empty and may be created in)."""
    tables = _user_tables(con)
    if tables:
        shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
        return (f"not a yearwise warehouse (it holds other tables: {shown}); yearwise never adds its tables to "
                "another database: use a new --db file")
    if read_only:
        return "not a yearwise warehouse yet (an empty DuckDB file); load reports into it with `yearwise ingest`"
    return None


def connect(path: str | os.PathLike | None = None, *, read_only: bool = False,
            allow_files: bool | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to the warehouse; a writable one creates the schema and runs forward migrations.

    Only a yearwise file (or a new or empty one, when writable) is used: a DuckDB file with other tables and
    no yearwise schema is refused, never migrated. SQL on the connection reaches no other file and loads no
    extension unless `allow_files` (default $YEARWISE_ALLOW_FILES).
    Raises WarehouseBusy if another process holds the file, WarehouseError for any other one-line cause.
    """
    path = os.fspath(path) if path is not None else default_path()
    allow_files = allow_files_default() if allow_files is None else allow_files
    if read_only and path not in MEMORY and not os.path.exists(path):
        raise WarehouseError(f"{path}: no warehouse file there (nothing has been loaded yet)")
    con = _open(path, read_only, allow_files)
    try:
        version = current_version(con)
        if version == 0:
            why = _foreign(path, con, read_only)
            if why:
                raise WarehouseError(f"{path}: {why}")
        if read_only:
            if version < SCHEMA_VERSION:
                # an older yearwise file: upgrade it once with a short writable connection, then read it
                con.close()
                connect(path, allow_files=allow_files).close()
                con = _open(path, read_only, allow_files)
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


def is_read_only(con) -> bool:
    """True when DuckDB itself refuses every write on `con` (the file was opened read-only)."""
    row = con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return bool(row and row[0][0])


def engine(path: str | os.PathLike | None = None, *, read_only: bool = False,
           allow_files: bool | None = None):
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
        con = connect(":memory:", allow_files=allow_files)
        return sa.create_engine("duckdb+yearwise:///:memory:", creator=lambda: ConnectionWrapper(con),
                                poolclass=StaticPool)
    return sa.create_engine(f"duckdb+yearwise:///{path}",
                            creator=lambda: ConnectionWrapper(connect(path, read_only=read_only, allow_files=allow_files)),
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
    from decimal import Decimal

    import sqlalchemy as sa
    from sqlalchemy import BindParameter, bindparam, text
    from sqlalchemy.engine.reflection import ObjectKind

    class ExactNumeric(sa.Numeric):
        """NUMERIC results as DuckDB gives them (Decimal): the PostgreSQL dialect formats them through a float
        ('%.12f'), which turns 26667.28 at scale 12 into 26667.279999999999."""

        def result_processor(self, dialect, coltype):
            if not self.asdecimal:
                return super().result_processor(dialect, coltype)
            return lambda v: v if v is None or isinstance(v, Decimal) else Decimal(str(v))

    class YearwiseDialect(Dialect):
        """duckdb-engine with column reflection read from information_schema, and exact NUMERIC results.

        SQLAlchemy 2.1's PostgreSQL column query joins pg_catalog.pg_collation, which DuckDB 2 lacks, so
        Inspector.get_columns (and MetaData.reflect) fail on the stock dialect.
        """

        supports_statement_cache = False  # as duckdb-engine declares; said explicitly to silence SQLAlchemy
        colspecs = {**Dialect.colspecs, sa.Numeric: ExactNumeric}

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
            binds: list[BindParameter[Any]] = [bindparam("kinds", expanding=True)]
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
