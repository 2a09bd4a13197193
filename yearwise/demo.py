"""The demo warehouse: the bundled real Beijing report plus freshly generated synthetic (示例) reports.

Synthetic rows are recognisable by their department names, which all contain 示例; `origins(wh)` labels them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import polars as pl

import yearwise
from yearwise.api import Warehouse, YearwiseError
from yearwise.synthetic import MARKER, generate

DEFAULT_DB = "yearwise-demo.duckdb"


def sample_dir() -> Path:
    """data/sample in the repo: real published reports bundled with yearwise."""
    return Path(yearwise.__file__).resolve().parents[1] / "data" / "sample"


def origin(department: str | None) -> str:
    """'synthetic' for a generated 示例 department, else 'real'."""
    return "synthetic" if department and MARKER in department else "real"


def build_demo(db_path: str | os.PathLike = DEFAULT_DB, *, workdir: str | os.PathLike | None = None,
               seed: int = 0) -> Warehouse:
    """Delete and rebuild `db_path` from the real sample report and synthetic reports; return its Warehouse.

    Synthetic files go to `workdir`/synthetic (default: a temp folder kept per db path, so sources stay readable).
    """
    db = Path(db_path)
    for stale in (db, db.with_name(db.name + ".wal")):
        if stale.exists():
            stale.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    if workdir is None:  # one kept temp folder per demo db: sources stay readable, rebuilds do not pile up
        key = hashlib.sha1(str(db.resolve()).encode()).hexdigest()[:10]
        workdir = Path(tempfile.gettempdir()) / f"yearwise-demo-{key}"
    base = Path(workdir)
    synth_dir = base / "synthetic"
    if synth_dir.exists():
        for old in synth_dir.glob("synthetic-*"):
            old.unlink()
    synthetic = generate(synth_dir, seed=seed)
    real = sorted(p for p in sample_dir().glob("*") if p.suffix.lower() in (".txt", ".pdf", ".html", ".docx"))
    wh = Warehouse(db)
    summary = wh.ingest(real + synthetic)
    if summary.failed:
        first = summary.failed[0]
        raise YearwiseError(f"demo: {len(summary.failed)} of {len(summary.rows)} files failed to load; "
                            f"first: {first.file}: {first.error}")
    wh.demo_summary = summary
    wh.demo_sources = {"real": [str(p) for p in real], "synthetic": [str(p) for p in synthetic]}
    return wh


def origins(wh: Warehouse) -> pl.DataFrame:
    """One row per department in `wh` with origin real/synthetic, years covered and fact count."""
    df = wh.departments()
    return df.with_columns(
        pl.col("department").map_elements(origin, return_dtype=pl.String).alias("origin")
    ).select("origin", *[c for c in df.columns])
