"""`zenbrain graph`: the picture from the command line, on a brain folder."""

from __future__ import annotations

import json

from typer.testing import CliRunner
from viz_support import sample_brain

from zenbrain.cli import app


def test_graph_writes_a_self_contained_page_and_a_png(tmp_path, monkeypatch):
    monkeypatch.setenv("ZENBRAIN_EMBEDDER", "hash")
    home = tmp_path / "brain"
    sample_brain(home).close()
    runner = CliRunner()
    out = tmp_path / "alice.html"
    result = runner.invoke(app, ["--home", str(home), "graph", "--user", "alice", "--html", str(out),
                                 "--png", str(tmp_path / "alice.png"), "--archived"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "memories" in result.output
    page = out.read_text()
    assert "vis.Network" in page and "<script src=" not in page
    assert (tmp_path / "alice.png").read_bytes()[:4] == b"\x89PNG"
    listed = runner.invoke(app, ["--home", str(home), "--json", "graph", "--user", "alice",
                                 "--around", "Luna", "--depth", "1"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    assert data["around"] == "Luna" and any(n["label"].startswith("Luna") for n in data["nodes"])
