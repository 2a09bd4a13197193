"""Every example in `yearwise --help` and each command's --help runs on the demo warehouse and returns rows.

The examples are read from the app itself, so a new or edited example is tested without touching this file."""

from __future__ import annotations

import re
import shlex
import shutil
import tempfile
from pathlib import Path

import typer
from typer.testing import CliRunner

from yearwise.cli import app

REPO = Path(__file__).resolve().parents[1]


def examples() -> list[tuple[str, list[str]]]:
    """(where, argv) for each `yearwise ...` example in the help texts; `a && b` gives two."""
    group = typer.main.get_command(app)
    helps = [("yearwise", group.help or "")] + [(f"yearwise {n}", c.help or "") for n, c in group.commands.items()]
    out = []
    for where, text in helps:
        for line in re.findall(r"Example:\s*(.+)", text):
            for part in line.split("&&"):
                argv = shlex.split(part.split(" > ")[0].strip())
                assert argv[0] == "yearwise", (where, line)
                out.append((where, argv[1:]))
    return out


def test_every_command_has_examples():
    where = {w for w, _ in examples()}
    assert len(where) >= 10  # the group and each command


def test_every_help_example_runs_on_the_demo_and_returns_rows(demo_db, tmp_path, monkeypatch):
    monkeypatch.delenv("YEARWISE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # `yearwise demo` keeps its sources in a temp folder
    shutil.copy(demo_db, tmp_path / "yearwise.duckdb")  # the default warehouse of examples without --db
    (tmp_path / "data").symlink_to(REPO / "data")
    runner = CliRunner()
    for where, argv in examples():
        r = runner.invoke(app, argv)
        shown = f"{where}: yearwise {shlex.join(argv)}\n{r.stderr}"
        assert r.exit_code == 0, shown
        assert "Traceback" not in r.stdout + r.stderr, shown
        if "--out" in argv:
            out = tmp_path / argv[argv.index("--out") + 1]
            assert out.stat().st_size > 1000, shown
        else:
            assert r.stdout.strip(), shown
            assert not re.search(r"^0 rows|\b0 facts|\[\]$", r.stdout.strip()), shown
