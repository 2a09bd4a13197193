"""Writing one answer (a polars DataFrame) as table, csv, json, jsonl, parquet or xlsx, to a file or stdout.

The format comes from `--format`, else from the output file's extension; an extension nothing here writes is
an error, never a text table under a misleading name. CSV and XLSX cells hold no lists or structs: those
are JSON-encoded (`["万元","%"]`), so every answer writes in every format.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import polars as pl

FORMATS = ("table", "csv", "json", "jsonl", "parquet", "xlsx")
EXTENSIONS = {".csv": "csv", ".tsv": None, ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
              ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx", ".txt": "table"}
BINARY = ("parquet", "xlsx")  # formats that only go to a file


class AnswerFormatError(ValueError):
    """A format or output file name nothing here can write; str() is one line."""


def format_for(fmt: str | None, out: Path | None) -> str:
    """The format to write: `fmt` if given, else the one `out`'s extension names, else table."""
    if fmt:
        fmt = str(getattr(fmt, "value", fmt)).lower()
        if fmt not in FORMATS:
            raise AnswerFormatError(f"--format {fmt}: expected one of {', '.join(FORMATS)}")
        return fmt
    if out is None:
        return "table"
    suffix = out.suffix.lower()
    named = EXTENSIONS.get(suffix)
    if named is None:
        known = ", ".join(e for e, f in EXTENSIONS.items() if f)
        raise AnswerFormatError(f"--out {out}: cannot write {suffix or 'a file without an extension'} "
                                f"(extensions: {known}; or give --format)")
    return named


# -- JSON ---------------------------------------------------------------------------------------

_DEC = re.compile(r'"\\u0000DEC:([^"\\]*)\\u0000"')


def _jsonable(v):
    if isinstance(v, Decimal):
        return f"\x00DEC:{v}\x00" if v.is_finite() else None
    if isinstance(v, float):
        return v if v == v and v not in (float("inf"), float("-inf")) else None  # NaN/inf are no JSON
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (bytes, bytearray, memoryview)):
        import base64

        return base64.b64encode(bytes(v)).decode("ascii")
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def dumps(obj) -> str:
    """JSON with Decimal values written as exact JSON numbers (not strings, not floats)."""
    return _DEC.sub(r"\1", json.dumps(_jsonable(obj), ensure_ascii=False))


# -- flat cells for CSV and XLSX ----------------------------------------------------------------


def _nested(dtype) -> bool:
    return isinstance(dtype, (pl.List, pl.Array, pl.Struct, pl.Object))


def flat(df: pl.DataFrame) -> pl.DataFrame:
    """`df` with every list, array or struct column JSON-encoded as text (CSV and XLSX hold only scalars)."""
    nested = [c for c, t in df.schema.items() if _nested(t)]
    if not nested:
        return df
    return df.with_columns([
        pl.Series(c, [None if v is None else dumps(v) for v in df[c].to_list()], dtype=pl.String)
        for c in nested])


def _excel_safe(df: pl.DataFrame) -> pl.DataFrame:
    """Decimals as floats (Excel has only doubles), times without zones, nested values as JSON text."""
    df = flat(df)
    casts = []
    for c, t in df.schema.items():
        if isinstance(t, pl.Decimal):
            casts.append(pl.col(c).cast(pl.Float64))
        elif isinstance(t, pl.Datetime) and t.time_zone:
            casts.append(pl.col(c).dt.replace_time_zone(None))
        elif t == pl.Binary:
            casts.append(pl.col(c).map_elements(lambda b: _jsonable(b), return_dtype=pl.String))
    return df.with_columns(casts) if casts else df


# -- writing ------------------------------------------------------------------------------------


def as_written(df: pl.DataFrame) -> pl.DataFrame:
    """Each decimal column at the fewest decimals that hold every one of its values exactly: 20351.56, not the
    storage scale's 20351.560000 (a column of figures printed with two decimals shows two). Exact: a column is
    narrowed only to a scale that changes none of its values."""
    casts = []
    for c, t in df.schema.items():
        if not isinstance(t, pl.Decimal) or not t.scale:
            continue
        col = df[c]
        for scale in range(t.scale):
            narrow = col.cast(pl.Decimal(t.precision, scale))
            if (narrow.cast(t) == col).all():  # nulls aside, no value rounded
                casts.append(narrow)
                break
    return df.with_columns(casts) if casts else df


def text(df: pl.DataFrame, fmt: str, *, bom: bool = False) -> str:
    """The answer as csv, json (one array) or jsonl (an object a line) text, decimals as written (as_written)."""
    df = as_written(df)
    if fmt == "csv":
        return ("\ufeff" if bom else "") + flat(df).write_csv()
    if fmt == "json":
        return dumps(df.to_dicts()) + "\n"
    if fmt == "jsonl":
        return "".join(dumps(row) + "\n" for row in df.iter_rows(named=True))
    raise AnswerFormatError(f"{fmt} is not a text format")


def write(df: pl.DataFrame, fmt: str, out: Path, *, bom: bool = False, sheet: str = "answer") -> None:
    """Write `df` to file `out` as `fmt` (not table: the terminal module draws tables); decimals as written
    (as_written: exact, parquet keeps them DECIMAL)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    df = as_written(df)
    if fmt == "parquet":
        df.write_parquet(out)
    elif fmt == "xlsx":
        _excel_safe(df).write_excel(out, worksheet=sheet[:31] or "answer", autofit=True)
    else:
        out.write_text(text(df, fmt, bom=bom), encoding="utf-8")
