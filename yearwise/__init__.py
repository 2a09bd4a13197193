"""yearwise: departments' annual reports in, a cross-year DuckDB warehouse out; this is the user-facing API."""

from yearwise.api import IngestRow, IngestSummary, ReadOnlyError, Warehouse, YearwiseError, expand_paths

__all__ = ["IngestRow", "IngestSummary", "ReadOnlyError", "Warehouse", "YearwiseError", "expand_paths"]
__version__ = "0.1.0"
