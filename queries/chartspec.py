"""The `-- chart:` lines of a canned query's header, parsed and checked; yearwise.charts draws them.

Words are `key=value` (the first bare word is the mark); see yearwise/charts.py for what each key does.
"""

from __future__ import annotations

import shlex

MARKS = ("line", "bar", "barh", "heatmap")
KEYS = {"mark", "x", "y", "color", "facet", "columns", "panels", "facet_unit", "fold", "where", "x_title",
        "y_title", "color_title", "fold_title", "tooltip", "rule", "width", "height", "sort"}


class ChartSpecError(ValueError):
    """A `-- chart:` header that cannot be drawn; str() is one line naming the query."""


def parse_spec(query: str, lines: list[str]) -> dict:
    """The chart spec of `-- chart:` header lines (the text after `-- chart:`), checked; {} when there are none."""
    spec: dict = {}
    for line in lines:
        try:
            words = shlex.split(line)
        except ValueError as e:
            raise ChartSpecError(f"query {query}: chart line {line!r}: {e}") from None
        for w in words:
            key, sep, value = w.partition("=")
            if not sep:
                key, value = "mark", w
            if key not in KEYS:
                raise ChartSpecError(f"query {query}: unknown chart key {key!r} (keys: {', '.join(sorted(KEYS))})")
            spec[key] = value
    if spec and spec.get("mark") not in MARKS:
        raise ChartSpecError(f"query {query}: chart mark {spec.get('mark')!r} is not one of {', '.join(MARKS)}")
    for key in ("columns", "panels", "width", "height"):
        if key in spec and not spec[key].isdigit():
            raise ChartSpecError(f"query {query}: chart {key}={spec[key]!r} is not a whole number")
    return spec
