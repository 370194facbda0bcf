"""`Brain.visualize`: what the picture shows (labels, relations, layers, gists, archived on request,
ego and time views), that it shows inline and saves, and that looking changes nothing."""

from __future__ import annotations

import json

import pytest
from viz_support import day, sample_brain

from zenbrain import InvalidInputError
from zenbrain.viz import LAYER_COLOURS


@pytest.fixture(scope="module")
def brain(tmp_path_factory):
    b = sample_brain(tmp_path_factory.mktemp("viz") / "brain")
    yield b
    b.close()


def _memories(view):
    return [n for n in view.nodes if n.kind == "memory"]


def test_memory_nodes_carry_text_date_layer_and_retrievability(brain):
    view = brain.visualize("alice")
    first = next(n for n in _memories(view) if n.title.startswith("I work at Acme Corp"))
    assert first.label.startswith("I work at Acme Corp")
    assert "2026-01-04" in first.label and "R " in first.label
    assert first.group in LAYER_COLOURS and first.group in first.title
    assert "retrievability" in first.title and first.colour == LAYER_COLOURS[first.group]


def test_edges_name_their_relation_and_gists_link_to_their_episodes(brain):
    view = brain.visualize("alice")
    labels = {e.label for e in view.edges if e.kind == "relation"}
    assert {"has pet", "works at"} <= labels
    ids = {n.id: n for n in view.nodes}
    gist_links = [e for e in view.edges if e.kind == "derived_from"]
    assert gist_links and all(e.label == "gist of" for e in gist_links)
    assert all(ids[e.src].group == "semantic" and ids[e.dst].group == "episodic"
               for e in gist_links)
    assert [name for name, _ in view.legend()][:1] == ["entity"]
    assert {"episodic", "semantic"} <= {name for name, _ in view.legend()}


def test_archived_memories_only_on_request_and_styled_apart(brain):
    assert brain.stats("alice")["archived"] > 0
    plain = brain.visualize("alice")
    assert all(n.state == "active" for n in plain.nodes)
    shown = brain.visualize("alice", archived=True)
    archived = [n for n in shown.nodes if n.state == "archived"]
    assert len(archived) == brain.stats("alice")["archived"]
    assert all(n.colour != LAYER_COLOURS[n.group] and "archived:" in n.title for n in archived)


def test_ego_view_and_the_graph_as_it_was(brain):
    whole = brain.visualize("alice")
    ego = brain.visualize("alice", around="luna", depth=1)
    names = {n.label.split("\n")[0] for n in ego.nodes if n.kind == "entity"}
    assert "Luna" in names and "Porto" not in names
    assert len(ego.nodes) < len(whole.nodes)
    assert all("Luna" in n.title for n in _memories(ego))
    early = brain.visualize("alice", at=day(5.5))
    assert {n.date for n in _memories(early)} <= {f"2026-01-0{i}" for i in range(1, 7)}
    assert not [e for e in early.edges if e.kind == "derived_from"]  # no sleep yet then
    with pytest.raises(InvalidInputError, match="no entity named"):
        brain.visualize("alice", around="Nobody")


def test_layers_filter_and_limit(brain):
    view = brain.visualize("alice", layers=["semantic"])
    assert {n.group for n in _memories(view)} == {"semantic"}
    small = brain.visualize("alice", limit=3)
    assert len(_memories(small)) == 3 and small.truncated > 0 and "left out" in small.summary()


def test_shows_inline_and_saves_page_and_picture(brain, tmp_path):
    view = brain.visualize("alice")
    inline = view._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and "vis.Network" in inline
    view.save(tmp_path / "g.html")
    page = (tmp_path / "g.html").read_text()
    assert "<script src=" not in page and "http://" not in page.split("<script>", 1)[0]
    assert "Maine Coon" in page and "has pet" in page
    view.save(tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    json.dumps(view.to_dict())


def test_user_text_cannot_break_out_of_the_page(tmp_path):
    from zenbrain.viz.html import render_page
    from zenbrain.viz.view import GraphView, Node

    evil = Node(id="m1", kind="memory", label="</script><script>alert(1)</script>",
                title="<img src=x onerror=alert(1)>", group="episodic", colour="#000")
    page = render_page(GraphView(user_id="u", nodes=(evil,), edges=(), positions={"m1": (0, 0)}))
    assert "</script><script>alert(1)" not in page


def test_looking_changes_nothing(brain):
    before = [r for r in brain.export("alice") if r["type"] != "header"]
    brain.visualize("alice", archived=True, superseded=True).to_html()
    brain.visualize("alice", around="Luna").figure()
    assert [r for r in brain.export("alice") if r["type"] != "header"] == before
