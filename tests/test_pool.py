"""Extraction in worker processes: the same warehouse as a serial ingest; a file that kills its worker, raises,
or hangs fails alone and the other files still load."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from yearwise import Warehouse
from yearwise.ingest import pool
from yearwise.ingest.model import Report
from yearwise.synthetic import generate_many
from yearwise.warehouse.digest import file_digest


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[Path]:
    return generate_many(tmp_path_factory.mktemp("pool"), 40, seed=3)


# extraction functions the workers run (module level: the pool pickles them by name)

def die_on_marked(path, hints):
    """Ends its process without a word when the file's name says so (a reader crashing in C code)."""
    if "-2017-" in Path(path).name and "d1-education" in Path(path).name:
        os._exit(3)
    return pool.extract_one(path, hints)


def hang_on_marked(path, hints):
    if "-2016-" in Path(path).name and "d1-health" in Path(path).name:
        time.sleep(60)
    return pool.extract_one(path, hints)


def hang_deaf_on_marked(path, hints):
    """Hangs with the timeout's signal blocked: only the hard stop (the worker process ended) gets it back."""
    if "-2016-" in Path(path).name and "d1-health" in Path(path).name:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    return pool.extract_one(path, hints)


def test_two_workers_build_the_same_warehouse_as_one(reports, tmp_path):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    s1 = Warehouse(serial).ingest(reports, workers=1)
    s2 = Warehouse(parallel).ingest(reports, workers=2)
    assert s1.ok and s2.ok and len(reports) >= pool_min()
    assert [(r.file, r.status, r.facts) for r in s1.rows] == [(r.file, r.status, r.facts) for r in s2.rows]
    assert s1.facts > 1000
    assert file_digest(serial) == file_digest(parallel)


def pool_min() -> int:
    from yearwise.api import POOL_MIN_FILES

    return POOL_MIN_FILES


def test_results_come_back_in_the_files_order(reports):
    got = list(pool.extract_parallel(reports, workers=2))
    assert [r.source for r in got] == [str(p) for p in reports]
    assert all(isinstance(r, Report) for r in got)


def test_a_file_that_kills_its_worker_fails_alone(reports):
    marked = [p for p in reports if "-2017-" in p.name and "d1-education" in p.name]
    assert len(marked) == 1
    got = list(pool.extract_parallel(reports, workers=2, fn=die_on_marked))
    assert [r.source for r in got] == [str(p) for p in reports]
    failed = [r for r in got if isinstance(r, pool.Failed)]
    assert [f.source for f in failed] == [str(marked[0])]
    assert "worker process" in failed[0].cause and "died" in failed[0].cause
    assert sum(isinstance(r, Report) for r in got) == len(reports) - 1


def test_a_file_that_hangs_times_out_alone(reports):
    t = time.monotonic()
    got = list(pool.extract_parallel(reports, workers=2, fn=hang_on_marked, timeout=1.5))
    assert time.monotonic() - t < 40  # nowhere near the 60 s the file would hang
    failed = [r for r in got if isinstance(r, pool.Failed)]
    assert len(failed) == 1 and "d1-health" in failed[0].source and "-2016-" in failed[0].source
    assert failed[0].cause == "timed out after 1.5 s"
    assert sum(isinstance(r, Report) for r in got) == len(reports) - 1


def test_a_hang_deaf_to_the_timeout_ends_its_worker_and_fails_alone(reports):
    got = list(pool.extract_parallel(reports, workers=2, fn=hang_deaf_on_marked, timeout=1, grace=1))
    failed = [r for r in got if isinstance(r, pool.Failed)]
    assert len(failed) == 1 and "d1-health" in failed[0].source
    assert failed[0].cause.startswith("timed out after 1 s")
    assert sum(isinstance(r, Report) for r in got) == len(reports) - 1


def test_a_dying_file_is_one_failed_row_of_an_ingest(reports, tmp_path, monkeypatch):
    import yearwise.api as api

    # the API's extraction function is the one the pool runs; point it at the dying one for this ingest
    real = pool.extract_parallel
    monkeypatch.setattr(pool, "extract_parallel", lambda files, hints, **kw: real(files, hints, fn=die_on_marked, **kw))
    summary = Warehouse(tmp_path / "w.duckdb").ingest(reports, workers=2)
    assert [r.file for r in summary.failed] == [str(p) for p in reports if "-2017-" in p.name and "d1-education" in p.name]
    assert len(summary.rows) == len(reports) and api.POOL_MIN_FILES <= len(reports)
    n = Warehouse(tmp_path / "w.duckdb").sql("SELECT count(DISTINCT source) AS n FROM facts")["n"][0]
    assert n == len(reports) - 1


def test_serial_extraction_times_out_too(reports):
    got = list(pool.extract_serial(reports[:3], timeout=0.5, fn=hang_on_marked))
    assert all(isinstance(r, Report) for r in got)  # none of the first three is the marked one
    marked = [p for p in reports if "-2016-" in p.name and "d1-health" in p.name]
    (only,) = pool.extract_serial(marked, timeout=0.5, fn=hang_on_marked)
    assert isinstance(only, pool.Failed) and only.cause == "timed out after 0.5 s"


def test_a_local_dask_cluster_builds_the_same_warehouse_as_a_serial_ingest(reports, tmp_path):
    distributed = pytest.importorskip("distributed")
    serial, clustered = tmp_path / "serial.duckdb", tmp_path / "cluster.duckdb"
    assert Warehouse(serial).ingest(reports[:12], workers=1).ok
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = Warehouse(clustered).ingest(reports[:12], cluster=cluster.scheduler_address)
    assert summary.ok and len(summary.rows) == 12
    assert file_digest(serial) == file_digest(clustered)


def test_workers_follow_settings_made_after_they_were_forked_from(reports, monkeypatch):
    """A YEARWISE_* variable set after the fork server started (here a limit on facts a document may have) holds in
    the workers as it does in this process: it goes with each job."""
    assert all(isinstance(r, Report) for r in pool.extract_parallel(reports[:4], workers=2))  # the server runs
    monkeypatch.setenv("YEARWISE_MAX_FACTS", "5")
    here = list(pool.extract_serial(reports[:4]))
    there = list(pool.extract_parallel(reports[:4], workers=2))
    assert all(isinstance(r, pool.Failed) and "facts" in r.cause for r in here)
    assert [r.cause for r in there] == [r.cause for r in here]
