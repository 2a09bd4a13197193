"""The checks on worker processes (warehouse.check_pool): the same rows, links and ids as the checks run in this
process, however the departments are cut into chunks; a chunk whose worker fails is checked here instead."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from yearwise import Warehouse, api
from yearwise.synthetic import generate_many
from yearwise.warehouse import check_pool, connect
from yearwise.warehouse.checks import run_checks


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    """A warehouse of synthetic reports (several departments and years) with its checks."""
    folder = tmp_path_factory.mktemp("check-pool")
    db = folder / "w.duckdb"
    assert Warehouse(db).ingest(generate_many(folder / "reports", 40, seed=3), workers=1).ok
    return db


def checks_of(path) -> tuple[list, list]:
    """Every check (but when it was evaluated) and every link of check to fact, by id."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (con.execute("SELECT * EXCLUDE (evaluated_at) FROM checks ORDER BY check_id").fetchall(),
                con.execute("SELECT * FROM check_fact ORDER BY check_id, position").fetchall())
    finally:
        con.close()


def checked_both_ways(db, tmp_path, most: int, workers: int = 2):
    """Copies of `db` whose checks were evaluated again over every department: in this process 50 departments
    at a time, and on `workers` processes `most` at a time; the checks of each."""
    here, there = tmp_path / "here.duckdb", tmp_path / "there.duckdb"
    shutil.copy(db, here)
    shutil.copy(db, there)
    for path, on_workers in ((here, False), (there, True)):
        con = connect(str(path))
        try:
            ids = [i for (i,) in con.execute("SELECT department_id FROM department ORDER BY 1").fetchall()]
            if on_workers:
                check_pool.run_checks_on_workers(con, ids, workers, most=most)
            else:
                for start in range(0, len(ids), 50):
                    run_checks(con, ids[start:start + 50])
        finally:
            con.close()
    return checks_of(here), checks_of(there), len(ids)


def test_checks_on_workers_are_the_checks_made_here(synthetic_db, tmp_path):
    here, there, departments = checked_both_ways(synthetic_db, tmp_path, most=1)
    assert departments >= 4 and len(here[0]) > 100 and len(here[1]) > len(here[0])
    assert len({r[3] for r in here[0]}) >= 2  # statuses come through, not only passes
    assert there == here


def test_a_chunk_whose_worker_fails_is_checked_here(synthetic_db, tmp_path, monkeypatch):
    """The workers get no rules (each chunk raises there); every chunk is then checked in this process."""
    monkeypatch.setattr(check_pool, "load_checks", lambda: None)
    here, there, _ = checked_both_ways(synthetic_db, tmp_path, most=2)
    assert here[0] and there == here


def test_chunks_give_every_worker_several_and_keep_the_order():
    ids = list(range(1, 211))
    cut = check_pool.chunks(ids, 2, 50)
    assert [i for c in cut for i in c] == ids
    assert len(cut) >= 8 and max(map(len, cut)) <= 50
    assert check_pool.chunks(ids, 1, 50) == [ids[n:n + 50] for n in range(0, 210, 50)]
    assert check_pool.chunks([7], 4, 50) == [[7]]


def test_an_ingest_on_two_workers_checks_on_them_and_writes_what_one_writes(tmp_path, monkeypatch):
    calls = spied(monkeypatch)
    reports = generate_many(tmp_path / "reports", 40, seed=5)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    assert Warehouse(one).ingest(reports, workers=1).ok
    assert not calls
    assert Warehouse(two).ingest(reports, workers=2).ok
    assert calls == [2]
    assert checks_of(two) == checks_of(one) and checks_of(one)[0]


def spied(monkeypatch, least: int = 1) -> list[int]:
    """The workers of each call to run_checks_on_workers from now on (for `least` facts or more)."""
    calls: list[int] = []
    real = check_pool.run_checks_on_workers
    monkeypatch.setattr(check_pool, "run_checks_on_workers", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    monkeypatch.setattr(api, "CHECK_POOL_MIN_FACTS", least)
    return calls


def test_few_facts_are_checked_here(synthetic_db, tmp_path, monkeypatch):
    """Below CHECK_POOL_MIN_FACTS starting workers costs more than they save: the checks run in this process."""
    shutil.copy(synthetic_db, tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    facts = con.execute("SELECT count(*) FROM fact").fetchall()[0][0]
    con.close()
    calls = spied(monkeypatch, least=facts + 1)
    assert Warehouse(tmp_path / "w.duckdb").check(workers=2).height
    assert not calls
    monkeypatch.setattr(api, "CHECK_POOL_MIN_FACTS", facts)
    assert Warehouse(tmp_path / "w.duckdb").check(workers=2).height
    assert calls == [2]


def test_check_on_two_workers_writes_what_one_writes(synthetic_db, tmp_path, monkeypatch):
    calls = spied(monkeypatch)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    shutil.copy(synthetic_db, one)
    shutil.copy(synthetic_db, two)
    listed_one = Warehouse(one).check(workers=1)
    assert not calls
    listed_two = Warehouse(two).check(workers=2)
    assert calls == [2]
    assert checks_of(two) == checks_of(one) and checks_of(one)[0]
    assert listed_two.drop("check_id").equals(listed_one.drop("check_id")) and listed_one.height
    Warehouse(two).check(workers=2, department=listed_one["department"][0])
    assert calls == [2]  # one department is checked here


def test_a_dataset_loaded_with_two_workers_has_the_checks_of_one(synthetic_db, tmp_path, monkeypatch):
    calls = spied(monkeypatch)
    Warehouse(synthetic_db).export(tmp_path / "dataset")
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    assert Warehouse(one).load(tmp_path / "dataset", workers=1).ok
    assert not calls
    assert Warehouse(two).load(tmp_path / "dataset", workers=2).ok
    assert calls == [2]
    assert checks_of(two) == checks_of(one) and checks_of(one)[0]


def test_a_worker_judges_restatements_by_the_rules_it_is_handed():
    """The words that mark a restated comparison come with the rules a worker is given, not from its environment
    (a worker process started earlier may not see a YEARWISE_CHECKS set since)."""
    import dataclasses

    from yearwise.ingest.checks import load_checks
    from yearwise.warehouse.checks import _says_restated

    rules = load_checks()
    quote = "比上年增加161.96万元(按新的统计范围计算)"
    assert not _says_restated(quote, rules)
    widened = dataclasses.replace(rules, restatement_words=(*rules.restatement_words, "统计范围"))
    assert _says_restated(quote, widened)
