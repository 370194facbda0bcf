"""Every notebook in notebooks/ runs top to bottom (nbclient, the venv's python3 kernel) offline and
leaves a picture in its outputs, as a person opening it in Jupyter would see; any error fails the
test. 01–03 build their own sample brain; 04 opens an existing one (here a demo brain built in a
temporary folder) and must change nothing in it. Outputs stay stripped in git."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
PICTURES = ("image/png", "text/html")


def test_the_four_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["01_quickstart.ipynb", "02_memory_graph.ipynb",
                                           "03_forgetting_curves.ipynb", "04_your_own_brain.ipynb"]


def _execute(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    book = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in book.cells if c.cell_type == "code"), "outputs must be stripped"
    # The kernel is the venv's own python (its python3 kernel spec), offline, no network.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(path.parents[1]), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    client = nbclient.NotebookClient(book, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    return book


def _pictures(book: nbformat.NotebookNode) -> list[str]:
    """The picture mime types the executed notebook carries, one per output that has any."""
    found = []
    for cell in book.cells:
        for out in cell.get("outputs", []):
            kinds = [k for k in PICTURES if k in out.get("data", {})]
            if kinds:
                found.append(kinds[0])
    return found


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if not p.name.startswith("04")],
                         ids=lambda p: p.stem)
def test_notebook_executes_and_shows_pictures(path, tmp_path, monkeypatch):
    book = _execute(path, tmp_path, monkeypatch)
    pictures = _pictures(book)
    assert pictures, "no image/png or text/html output: the notebook shows no picture"
    if path.name.startswith("02"):
        # The graph itself: a drawing inline and the interactive page with its script inlined.
        assert "image/png" in pictures and "text/html" in pictures
        pages = [o["data"]["text/html"] for c in book.cells for o in c.get("outputs", [])
                 if "text/html" in o.get("data", {}) and "<iframe" in o["data"]["text/html"]]
        assert pages and all("src=&quot;http" not in p and "vis.Network" in p for p in pages)


def _snapshot(home: Path) -> list[str]:
    from zenbrain import Brain

    with Brain(home, lock_timeout=5) as brain:
        lines = []
        for user in brain.users():
            # The header carries the export time only; every record after it must be identical.
            lines += [json.dumps(rec, sort_keys=True, default=str)
                      for rec in brain.export(user) if rec.get("type") != "header"]
        return lines


def test_your_own_brain_notebook_is_read_only(tmp_path, monkeypatch):
    from zenbrain.demo import run_demo

    home = tmp_path / "demo-brain"
    run_demo(home)
    before = _snapshot(home)
    assert any('"type": "memory"' in line for line in before)
    monkeypatch.setenv("ZENBRAIN_HOME", str(home))
    book = _execute(next(p for p in NOTEBOOKS if p.name.startswith("04")), tmp_path, monkeypatch)
    assert _pictures(book)
    text = "".join(o.get("text", "") for c in book.cells for o in c.get("outputs", []))
    assert "GIST" in text and "archived" in text and ("rank" in text or "not among" in text)
    after = _snapshot(home)
    changed = sorted(set(before) ^ set(after))
    assert before == after, f"the notebook changed the brain: {changed[:3]}"
