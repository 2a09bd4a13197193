"""Warehouse: the DuckDB star schema, its migrations, loading reports, connections and export.

The names below load their module on first use, so opening a warehouse imports neither SQLAlchemy (the schema's
DDL, needed only to migrate) nor the loader."""

_WHERE = {
    "WarehouseBusy": "connection", "WarehouseError": "connection", "connect": "connection",
    "default_path": "connection", "duckdb_config": "connection", "engine": "connection", "is_read_only": "connection",
    "add_alias": "departments", "canonical_department": "departments", "region_of": "departments",
    "export_query": "export",
    "LoadResult": "load", "load_report": "load", "load_reports": "load", "sync_indicators": "load",
    "SCHEMA_VERSION": "migrations", "migrate": "migrations",
    "metadata": "schema",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(f"yearwise.warehouse.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'yearwise.warehouse' has no attribute {name!r}")
