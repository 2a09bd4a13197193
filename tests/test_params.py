"""Canned-query parameters are checked against the warehouse: a value that matches nothing is an error with the
closest matches, never an empty answer with exit 0."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from yearwise import Warehouse
from yearwise.cli import app
from yearwise.params import ParamError, closest


@pytest.fixture()
def runner():
    return CliRunner()


def _run(runner, db, *args):
    r = runner.invoke(app, ["--db", db, "run", *args])
    assert "Traceback" not in r.stdout + r.stderr
    return r


def test_unknown_department_names_the_value_and_the_closest(runner, demo_db):
    r = _run(runner, demo_db, "budget_trend", "-p", "department=江苏省委办")
    assert r.exit_code == 1 and "江苏省委办" in r.stderr and r.stdout == ""
    r = _run(runner, demo_db, "budget_trend", "-p", "department=示例教育局")  # the old --help example
    assert r.exit_code == 1 and "did you mean 示例区教育局" in r.stderr
    # traditional characters and 管委会 fold to the canonical name and run
    r = _run(runner, demo_db, "budget_trend", "-p", "department=示例區教育局", "-f", "csv")
    assert r.exit_code == 0 and "示例区教育局" in r.stdout
    r = _run(runner, demo_db, "budget_trend", "-p", "department=中关村科技园区朝阳园管委会", "-f", "csv")
    assert r.exit_code == 0, r.stderr


def test_unknown_indicator_and_query(runner, demo_db):
    r = _run(runner, demo_db, "growth_rates", "-p", "indicator=budget.totl")
    assert r.exit_code == 1 and "budget.totl" in r.stderr and "did you mean budget.total" in r.stderr
    r = _run(runner, demo_db, "budget_trnd")
    assert r.exit_code == 1 and "did you mean budget_trend" in r.stderr
    # an indicator's Chinese name stands for its code; coverage takes a code prefix
    wh = Warehouse(demo_db)
    by_name = wh.run("growth_rates", indicator="全年预算数")
    assert by_name.height and set(by_name["indicator"]) == {"budget.total"}
    assert wh.run("coverage", indicator="spending.").height
    with pytest.raises(ParamError, match="no indicator 'nothing.'"):
        wh.run("coverage", indicator="nothing.")


def test_ranges_and_years(runner, demo_db):
    r = _run(runner, demo_db, "budget_trend", "-p", "from_year=2023", "-p", "to_year=2020")
    assert r.exit_code == 1 and "from_year 2023 is after to_year 2020" in r.stderr
    r = _run(runner, demo_db, "budget_trend", "-p", "from_year=2040")
    assert r.exit_code == 1 and "years: 2019" in r.stderr
    r = _run(runner, demo_db, "department_ranking", "-p", "year=1999")
    assert r.exit_code == 1 and "no facts for year 1999" in r.stderr


def test_a_repeated_parameter_is_an_error(runner, demo_db):
    r = _run(runner, demo_db, "budget_trend", "-p", "department=示例区教育局", "-p", "department=示例区财政局")
    assert r.exit_code == 1 and "given twice" in r.stderr and "示例区财政局" in r.stderr


def test_run_without_a_name_lists_the_queries(runner, demo_db):
    r = runner.invoke(app, ["--db", demo_db, "run"])
    assert r.exit_code == 0
    for name in ("budget_trend", "growth_rates", "coverage", "department_ranking"):
        assert name in r.stdout


def test_version(runner):
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("yearwise ") and r.stdout.split()[1][0].isdigit()


def test_closest_folds_spellings():
    names = ["示例区教育局", "示例区财政局", "上海市普陀区教育局"]
    assert closest("教育局", names)[:2] == ["示例区教育局", "上海市普陀区教育局"]
    assert closest("budget.totl", ["budget.total", "spending.total", "staff.actual"])[0] == "budget.total"
