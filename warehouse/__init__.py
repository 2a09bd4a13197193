"""Warehouse: the DuckDB star schema, its migrations, loading reports, connections and export."""

from yearwise.warehouse.connection import (WarehouseBusy, WarehouseError, connect, default_path, duckdb_config, engine,
                                           is_read_only)
from yearwise.warehouse.departments import add_alias, canonical_department, region_of
from yearwise.warehouse.export import export_query
from yearwise.warehouse.load import LoadResult, load_report, load_reports, sync_indicators
from yearwise.warehouse.migrations import SCHEMA_VERSION, migrate
from yearwise.warehouse.schema import metadata

__all__ = ["LoadResult", "SCHEMA_VERSION", "WarehouseBusy", "WarehouseError", "add_alias", "canonical_department",
           "connect", "default_path", "duckdb_config", "engine", "export_query", "is_read_only", "load_report",
           "load_reports", "metadata", "migrate", "region_of", "sync_indicators"]
