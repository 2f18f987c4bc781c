"""The tutorial notebook runs from top to bottom in a fresh kernel, and shows what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).parents[2] / "docs" / "tutorials" / "notebook.ipynb"


def test_the_tutorial_notebook_runs(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<table" in h for h in html)  # results show themselves as tables
    assert any("plotly" in h for h in html)  # with their main figure
    assert (tmp_path / "out.html").stat().st_size > 10_000  # the report was written
    last = notebook.cells[-1].outputs[0]["data"]["text/plain"]
    before, after = (float(x) for x in last.strip("()").split(","))
    assert after < before  # costlier casualties lower Russia's value of no deal
