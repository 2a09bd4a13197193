"""Extraction mapped over files on every core (the standard library's process pool) or on a Dask cluster.

Extraction is pure, so files are independent: results come back in the files' order (the loader's version
rules depend on it), with a bounded number in flight so memory stays flat however many files there are.
A file that raises, hangs past the per-file timeout, or kills its worker process fails alone.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Generator, Iterable

from yearwise.ingest.model import IngestError, Report

# a file whose extraction takes longer than this fails ("timed out"); generous: the longest corpus PDF takes ~0.3 s
DEFAULT_TIMEOUT = 120.0
# a worker stuck in C code (where the timeout's exception cannot be raised) is ended this long after the timeout
HARD_GRACE = 5.0
# files handed to the pool ahead of the one the loader waits for, per worker: enough to keep workers busy,
# few enough that a long run holds only a handful of extracted reports at a time
AHEAD_PER_WORKER = 4
# modules the fork server imports once, so each worker starts with extraction ready
PRELOAD = ["yearwise.ingest", "yearwise.ingest.facts", "yearwise.ingest.readers"]


@dataclass(frozen=True, slots=True)
class Hints:
    """What the user said about the files (--department/--year/--kind), for what the text lacks."""

    department: str | None = None
    year: int | None = None
    doc_kind: str | None = None


@dataclass(frozen=True, slots=True)
class Failed:
    """A file that yielded no report: its path and the one-line cause."""

    source: str
    cause: str


class PoolError(RuntimeError):
    """The worker processes could not start at all (not one file's fault)."""


class FileTimeout(Exception):
    """Extraction of one file ran past the per-file timeout."""


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def extract_one(path, hints: Hints = Hints()) -> Report | Failed:
    """Read and extract one file: its Report, or Failed with the one-line cause (never raises for a bad file)."""
    from yearwise import ingest

    try:
        return ingest.extract(path, department=hints.department, year=hints.year, doc_kind=hints.doc_kind)
    except IngestError as e:
        return Failed(str(path), e.cause or _one_line(e))
    except FileTimeout as e:
        return Failed(str(path), str(e))
    except Exception as e:  # a reader bug in one file must not stop the others
        return Failed(str(path), f"{type(e).__name__}: {_one_line(e)}")


def _raise_timeout(signum, frame):
    raise FileTimeout("timed out")


def _timed(fn: Callable, path, hints: Hints, timeout: float | None) -> Report | Failed:
    """fn(path, hints) stopped after `timeout` seconds where this thread can be interrupted (the main thread)."""
    if not timeout or threading.current_thread() is not threading.main_thread():
        return fn(path, hints)
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        out = fn(path, hints)
    except FileTimeout:  # raised outside extract_one's own handler (a custom fn)
        out = Failed(str(path), "timed out")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if isinstance(out, Failed) and out.cause == "timed out":
        return Failed(out.source, f"timed out after {timeout:g} s")
    return out


_devnull = None


def settings() -> dict[str, str]:
    """This process's YEARWISE_* variables (its rule files and limits), to hand to worker processes with each job: a
    worker forked from a fork server started earlier keeps the environment of that moment."""
    return {k: v for k, v in os.environ.items() if k.startswith("YEARWISE_")}


def apply_settings(given: dict[str, str]) -> None:
    """In a worker: make its YEARWISE_* variables those `given` (the rule loaders cache by the files they name)."""
    for k in [k for k in os.environ if k.startswith("YEARWISE_") and k not in given]:
        del os.environ[k]
    os.environ.update(given)


def _in_worker(fn: Callable, path, hints: Hints, timeout: float | None, grace: float,
               given: dict[str, str] | None = None) -> Report | Failed:
    """The task a pool worker runs: _timed under the caller's `given` settings, with faulthandler ending the
    process if C code ignores the timeout."""
    global _devnull
    if given is not None:
        apply_settings(given)
    if timeout:
        if _devnull is None:
            _devnull = open(os.devnull, "w")
        faulthandler.dump_traceback_later(timeout + grace, exit=True, file=_devnull)
    try:
        return _timed(fn, path, hints, timeout)
    finally:
        if timeout:
            faulthandler.cancel_dump_traceback_later()


def extract_serial(paths: Iterable, hints: Hints = Hints(), *, timeout: float | None = DEFAULT_TIMEOUT,
                   fn: Callable = extract_one) -> Generator[Report | Failed, None, None]:
    """fn over paths in this process, in order (the timeout applies when called from the main thread)."""
    for p in paths:
        yield _timed(fn, p, hints, timeout)


def process_context():
    """A fork server with extraction preloaded: workers start fast and never inherit the caller's threads
    (DuckDB's and polars' thread pools make a plain fork of the loading process unsafe). The checks' workers
    (warehouse.check_pool) start from it too."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def extract_parallel(paths: Iterable, hints: Hints = Hints(), *, workers: int | None = None,
                     timeout: float | None = DEFAULT_TIMEOUT, fn: Callable = extract_one,
                     grace: float = HARD_GRACE) -> Generator[Report | Failed, None, None]:
    """fn over paths in `workers` processes (default: every core), yielding in the paths' order.

    `fn(path, hints)` must be a module-level function (it is pickled by name). If a worker process dies, the
    files it may have held are run again one at a time in a fresh pool, so only the file that kills a worker
    fails ("worker process died"), and the rest of the run goes on.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = workers or default_workers()
    given = settings()
    ctx = process_context()
    ahead = max(2, workers * AHEAD_PER_WORKER)
    pending: deque = deque()  # (path, future) in the paths' order
    todo = iter(paths)
    pool = ProcessPoolExecutor(workers, mp_context=ctx)
    try:
        try:
            pool.submit(int).result()  # the workers start, or the run stops here with one clear cause
        except BrokenProcessPool:
            raise PoolError("extraction worker processes could not start (a script that ingests with several "
                            "workers needs the `if __name__ == \"__main__\":` guard); try workers=1") from None
        while True:
            while len(pending) < ahead:
                p = next(todo, None)
                if p is None:
                    break
                try:
                    fut = pool.submit(_in_worker, fn, p, hints, timeout, grace, given)
                except BrokenProcessPool:  # a worker died since the last result came back: run it again below
                    fut = None
                pending.append((p, fut))
            if not pending:
                return
            p, fut = pending.popleft()
            try:
                result = fut.result() if fut is not None else None
            except BrokenProcessPool:
                result = None
            if result is not None:
                yield result
                continue
            # a worker died: any file not finished may have been the one; run each of those alone to find it
            batch = [(p, fut), *pending]
            pending.clear()
            finished = [f.result() if _finished(f) else None for _, f in batch]
            results: list[Report | Failed] = []
            for (q, _), done in zip(batch, finished):
                if done is None:
                    done, pool = _alone(ctx, pool, fn, q, hints, timeout, grace, given)
                results.append(done)
            pool.shutdown(wait=False)
            pool = ProcessPoolExecutor(workers, mp_context=ctx)
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _finished(fut) -> bool:
    """A future that holds a result (not the broken pool's exception; None: never submitted)."""
    return fut is not None and fut.done() and not fut.cancelled() and fut.exception() is None


def _alone(ctx, pool, fn, path, hints, timeout, grace, given):
    """Run one file in a one-worker pool: (its result or Failed if the worker died, the pool to use next)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool.shutdown(wait=False)
    pool = ProcessPoolExecutor(1, mp_context=ctx)
    t = time.monotonic()
    try:
        return pool.submit(_in_worker, fn, path, hints, timeout, grace, given).result(), pool
    except BrokenProcessPool:
        if timeout and time.monotonic() - t >= timeout:
            return Failed(str(path), f"timed out after {timeout:g} s (its worker process was ended)"), pool
        return Failed(str(path), "the worker process extracting it died"), pool


def extract_on_cluster(paths: Iterable, hints: Hints = Hints(), *, address: str,
                       timeout: float | None = DEFAULT_TIMEOUT, fn: Callable = extract_one
                       ) -> Generator[Report | Failed, None, None]:
    """fn over paths on a Dask distributed cluster (`address` of its scheduler), yielding in the paths' order.

    The workers must see the files at the same paths (a shared file system). A worker that dies is handled by
    Dask (the task is retried elsewhere; after the scheduler's allowed failures it is a KilledWorker), which
    fails that file only; a file not back within `timeout` once it is next in line fails as timed out.
    """
    try:
        from distributed import Client
    except ImportError:
        raise IngestError(address, "--cluster needs Dask distributed: pip install 'yearwise[cluster]'") from None

    client = Client(address, set_as_default=False)
    try:
        workers = max(1, sum(client.nthreads().values()))
        ahead = max(2, workers * AHEAD_PER_WORKER)
        pending: deque = deque()
        todo = iter(paths)
        while True:
            while len(pending) < ahead:
                p = next(todo, None)
                if p is None:
                    break
                pending.append((p, client.submit(_timed, fn, p, hints, None, pure=False)))
            if not pending:
                return
            p, fut = pending.popleft()
            try:
                yield fut.result(timeout=timeout)
            except TimeoutError:
                fut.cancel()
                yield Failed(str(p), f"timed out after {timeout:g} s")
            except Exception as e:  # KilledWorker, or an error Dask carried back
                yield Failed(str(p), f"{type(e).__name__}: {_one_line(e)}")
    finally:
        client.close()
