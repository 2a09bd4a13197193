"""Canned SQL over the warehouse's `facts` view: one .sql file per query, run with bound parameters."""

from yearwise.queries.runner import Param, QueryError, QuerySpec, get_query, list_queries, run_query

__all__ = ["Param", "QueryError", "QuerySpec", "get_query", "list_queries", "run_query"]
