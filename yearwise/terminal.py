"""Answers drawn as terminal tables a person can read: numbers by unit, never split, bounded rows and columns.

Money in 万元/元/亿元 has two decimals and thousands separators, rates and shares two decimals, other
decimals lose their trailing zeros (29300.480000 -> 29,300.48). A number is never wrapped: columns that do not
fit the terminal are left out and named under the table (`--wide` shows them); long text ends in an ellipsis.
Only the first `limit` rows are drawn, and the caption says how many there are and how to get them all.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

DEFAULT_LIMIT = 100
TEXT_MIN = 14  # when the table is too wide, text columns are cut down to this before columns are left out
TEXT_WIDTH = 36  # long text (quotes, file paths) is cut to this many cells with an ellipsis unless --wide
MONEY_UNITS = {"万元", "元", "亿元", "千元"}
RATE_WORDS = ("rate", "share", "cagr", "percent", "pct")
PLAIN_INT_WORDS = ("year", "rank", "_id", "page")


def _is_rate(column: str, unit: str | None) -> bool:
    name = column.lower()
    return unit == "%" or any(w in name for w in RATE_WORDS)


def number(value, column: str = "", unit: str | None = None) -> str:
    """One number as the terminal shows it, by its column name and the row's unit."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        name = column.lower()
        return str(value) if any(w in name for w in PLAIN_INT_WORDS) else f"{value:,}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        value = Decimal(repr(value))
    if not isinstance(value, Decimal) or not value.is_finite():
        return str(value)
    if _is_rate(column, unit):
        return f"{value:.2f}"
    if unit in MONEY_UNITS:
        return f"{value:,.2f}"
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, float) or isinstance(value, Decimal):
        return number(value)
    return " ".join(str(value).split())  # one line: newlines in a quote would break the row


def _numeric(dtype) -> bool:
    return dtype.is_numeric()


def cells(df: pl.DataFrame) -> list[list[str]]:
    """Every row as display strings, numbers formatted by the row's `unit` (when the answer has one)."""
    units = df["unit"].to_list() if "unit" in df.columns and df.schema["unit"] == pl.String else None
    columns = []
    for c, t in df.schema.items():
        values = df[c].to_list()
        if _numeric(t):
            columns.append([number(v, c, units[i] if units else None) for i, v in enumerate(values)])
        else:
            columns.append([_cell(v) for v in values])
    return [list(row) for row in zip(*columns)] if columns else []


def _clip(text: str, width: int) -> str:
    from rich.cells import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def table(df: pl.DataFrame, *, title: str | None = None, limit: int = DEFAULT_LIMIT, wide: bool = False,
          width: int = 160, whole: str = "--limit 0, or --format csv/--out FILE.xlsx"):
    """A rich Table of the first `limit` rows (0 = all) that fits `width` cells unless `wide`."""
    from rich.cells import cell_len
    from rich.table import Table

    shown = df if not limit or df.height <= limit else df.head(limit)
    rows = cells(shown)
    numeric = [_numeric(t) for t in df.schema.values()]
    if not wide:
        rows = [[v if numeric[i] else _clip(v, TEXT_WIDTH) for i, v in enumerate(r)] for r in rows]
    widths = [max([cell_len(c)] + [cell_len(r[i]) for r in rows]) for i, c in enumerate(df.columns)]
    keep = len(df.columns)
    if not wide:
        # too wide: cut text columns (widest first, down to TEXT_MIN cells) before leaving columns out
        excess = sum(widths) + 3 * len(widths) + 1 - width
        while excess > 0:
            text_cols = [i for i in range(len(widths)) if not numeric[i] and widths[i] > TEXT_MIN]
            if not text_cols:
                break
            i = max(text_cols, key=lambda k: widths[k])
            cut = min(excess, widths[i] - TEXT_MIN, max(1, widths[i] // 4))
            widths[i] -= cut
            excess -= cut
            rows = [r[:i] + [_clip(r[i], widths[i])] + r[i + 1:] for r in rows]
        total = 1
        for i, w in enumerate(widths):
            total += w + 3
            if total > width and i > 0:
                keep = i
                break
    notes = []
    if keep < len(df.columns):
        hidden = df.columns[keep:]
        notes.append(f"{len(hidden)} more columns not shown: {', '.join(hidden)} (--wide shows them)")
    if shown.height < df.height:
        notes.append(f"first {shown.height:,} of {df.height:,} rows; all of them: {whole}")
    elif title is not None or df.height != 1:
        notes.append(f"{df.height:,} rows")
    t = Table(title=title, caption="; ".join(notes) or None, caption_justify="left", show_lines=False)
    for i, c in enumerate(df.columns[:keep]):
        t.add_column(_clip(c, widths[i]), justify="right" if numeric[i] else "left", no_wrap=True,
                     overflow="ellipsis", min_width=widths[i], max_width=None if wide else widths[i])
    for r in rows:
        t.add_row(*r[:keep])
    return t


def console(*, stderr: bool = False, wide: bool = False):
    """A rich Console: the terminal's width (160 when not a terminal), unbounded with `wide`."""
    import shutil
    import sys

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if wide:
        width = 100_000
    elif stream.isatty():
        width = None
    else:
        width = max(shutil.get_terminal_size((160, 24)).columns, 160)
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=wide)


def print_table(df: pl.DataFrame, *, title: str | None = None, limit: int = DEFAULT_LIMIT, wide: bool = False,
                file=None) -> None:
    """Draw `df` on stdout (or into `file`, 200 cells wide) as a bounded table."""
    from rich.console import Console

    con = Console(file=file, width=100_000 if wide else 200, highlight=False) if file else console(wide=wide)
    con.print(table(df, title=title, limit=limit, wide=wide, width=con.width))
