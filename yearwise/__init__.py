"""yearwise: departments' annual reports in, a cross-year DuckDB warehouse out; this is the user-facing API.

The parts keep the design card's folders at the top of the repository and install as sub-packages:
`yearwise.ingest` (ingest/), `yearwise.warehouse` (warehouse/), `yearwise.queries` (queries/).
The API names below load on first use, so `import yearwise.ingest` does not pull in the warehouse.
"""

__all__ = ["IngestRow", "IngestSummary", "ReadOnlyError", "Warehouse", "YearwiseError", "expand_paths"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in __all__:
        from yearwise import api

        return getattr(api, name)
    raise AttributeError(f"module 'yearwise' has no attribute {name!r}")
