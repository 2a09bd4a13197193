"""notebooks/explore.ipynb runs top to bottom without a cell error (executed with nbclient in a temp dir)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "explore.ipynb"


def test_notebook_is_small_and_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit the notebook without outputs"
    assert NOTEBOOK.stat().st_size < 20_000


def test_notebook_executes(tmp_path, monkeypatch):
    # the kernel is this interpreter (ipykernel's native python3 spec); it must import the repo's packages
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    monkeypatch.delenv("YEARWISE_DEMO_DB", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's temporary folder lands here
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    before = sorted(p.name for p in NOTEBOOK.parent.iterdir())
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # run where Jupyter runs it: in notebooks/ (it used to write its warehouse there)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "示例" in text and "quote" in text
    assert sorted(p.name for p in NOTEBOOK.parent.iterdir()) == before  # nothing written beside the notebook
    assert list(tmp_path.glob("yearwise-notebook-*/demo.duckdb"))
    # the charts carry Vega's JavaScript: no script is fetched from the internet
    charts = [o["data"]["text/html"] for o in outputs if "vega" in str(o.get("data", {}).get("text/html", ""))]
    assert len(charts) >= 2
    for html in charts:
        assert not re.search(r"<script[^>]+src=", html) and "cdn.jsdelivr" not in html
