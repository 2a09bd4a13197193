"""The checks of many departments on worker processes, through files (issue 13).

After an ingest with several workers, the checks of every department it touched were the part no worker could
take: Python arithmetic in the loading process while the extraction workers sat idle. Pickling the facts to the
workers cost more than the arithmetic. Here the loading process hands each chunk of departments over as Parquet
files written from Arrow buffers (DuckDB -> polars -> Parquet: no Python object per row; the warehouse's own
connection may touch no file, so polars writes them), a worker reads them into its own DuckDB, runs the same
pure `evaluate_rows` and writes the results the same way, and the loading process loads them with one statement
each (`replace_checks`, as run_checks does). Chunks are written back in their order and checks are numbered by
department, so the rows and ids are those of a serial run; a chunk whose worker fails or dies is checked here.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections import deque
from pathlib import Path
from typing import Iterable

from yearwise.ingest.checks import CheckRules, load_checks
from yearwise.warehouse.checks import INPUTS, check_frames, evaluate_rows, input_queries, replace_checks, run_checks
from yearwise.warehouse.results import frame

# chunks handed out ahead of the one being written back, per worker (each is a few files on disk)
AHEAD_PER_WORKER = 2


def chunks(ids: list[int], workers: int, most: int) -> list[list[int]]:
    """`ids` cut into chunks of at most `most`, and small enough that every worker gets about four: the last
    chunk to come back is then short, and the loading process writes one while the workers check the next."""
    size = max(1, min(most, -(-len(ids) // (workers * 4))))
    return [ids[n:n + size] for n in range(0, len(ids), size)]


def check_chunk(folder: str, rules: CheckRules, given: dict[str, str] | None = None) -> int:
    """In a worker: evaluate the checks whose inputs are the Parquet files in `folder` (one per input_queries
    name) and write their rows there as checks.out.parquet and check_fact.out.parquet (as check_frames makes
    them); the number of checks. `given`: the caller's YEARWISE_* settings (ingest.pool.settings)."""
    import duckdb

    from yearwise.ingest.pool import apply_settings

    if given is not None:
        apply_settings(given)

    con = duckdb.connect(config={"threads": 1})
    try:
        rows = {name: con.execute("SELECT * FROM read_parquet(?)", [str(Path(folder) / f"{name}.parquet")]).fetchall()
                for name in INPUTS}
    finally:
        con.close()
    results = evaluate_rows(rows, rules)
    checks, links = check_frames(results)
    checks.write_parquet(Path(folder) / "checks.out.parquet", compression="uncompressed")
    links.write_parquet(Path(folder) / "check_fact.out.parquet", compression="uncompressed")
    return len(results)


def run_checks_on_workers(con, department_ids: Iterable[int], workers: int, *, most: int = 50,
                          trim=None) -> None:
    """Evaluate the checks of `department_ids` on `workers` processes and replace their rows, a chunk of at most
    `most` departments at a time (what run_checks would write for each chunk). `trim(con)`, if given, runs after
    each chunk is written (the ingest trims DuckDB's cache there)."""
    from concurrent.futures import ProcessPoolExecutor

    import polars as pl

    from yearwise.ingest.pool import process_context, settings

    rules, given = load_checks(), settings()
    todo = iter(chunks(sorted(set(department_ids)), workers, most))
    work = Path(tempfile.mkdtemp(prefix="yearwise-checks-"))
    pending: deque = deque()
    numbers = itertools.count()
    pool = ProcessPoolExecutor(workers, mp_context=process_context())
    try:
        def hand_out() -> None:
            ids = next(todo, None)
            if ids is None:
                return
            folder = work / str(next(numbers))
            folder.mkdir()
            for name, sql in (input_queries(ids) or {}).items():
                frame(con.sql(sql)).write_parquet(folder / f"{name}.parquet", compression="uncompressed")
            try:
                future = pool.submit(check_chunk, str(folder), rules, given)
            except Exception:  # the pool broke: this chunk is checked here when its turn comes
                future = None
            pending.append((ids, folder, future))

        for _ in range(workers * AHEAD_PER_WORKER):
            hand_out()
        while pending:
            ids, folder, future = pending.popleft()
            try:
                count = future.result() if future is not None else None
            except Exception:  # a worker that died or raised: the same checks, here (an error then is a real one)
                count = None
            if count is None:
                run_checks(con, ids)
            else:
                replace_checks(con, ids, pl.read_parquet(folder / "checks.out.parquet"),
                               pl.read_parquet(folder / "check_fact.out.parquet"))
            shutil.rmtree(folder, ignore_errors=True)
            if trim is not None:
                trim(con)
            hand_out()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(work, ignore_errors=True)
