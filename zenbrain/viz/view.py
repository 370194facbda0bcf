"""What a picture of one user's memory graph shows: which nodes and edges, and the words on them.

`build_view` turns the NetworkX graph of `Brain.graph` into a `GraphView` of plain `Node`s and
`Edge`s. It filters (the graph as it was `at` an instant, some layers, an ego view `around` one
entity, archived and superseded memories only on request) and writes what a person reads: a
short text, the date, the layer and the retrievability of each memory, the relation on each
edge. It draws nothing: `html.py` renders the interactive page, `figure.py` the matplotlib one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from zenbrain.errors import InvalidInputError

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

__all__ = ["ENTITY_COLOUR", "LAYER_COLOURS", "Edge", "GraphView", "Node", "build_view"]

# Tableau-like colours, one per layer, far enough apart to tell on a legend.
LAYER_COLOURS: dict[str, str] = {
    "working": "#e45756", "short_term": "#bab0ac", "episodic": "#4c78a8", "semantic": "#54a24b",
    "procedural": "#72b7b2", "core": "#b279a2", "cross_context": "#9d755d",
}
ENTITY_COLOUR = "#f58518"
FADED_COLOUR = "#d9d9d9"  # archived memories: present on request, visibly out of play

State = Literal["active", "archived", "superseded"]
# Link edges between memories, as a reader would say them (src -> dst).
_LINK_LABELS = {"derived_from": "gist of", "supersedes": "replaces", "contradicts": "contradicts",
                "refines": "refines", "confirms": "confirms"}


@dataclass(frozen=True)
class Node:
    """One node as drawn: `label` is written on it, `title` is its tooltip."""

    id: str
    kind: Literal["entity", "memory"]
    label: str
    title: str
    group: str  # the layer of a memory, "entity" otherwise
    colour: str
    state: State = "active"
    date: str | None = None  # ISO day it entered the brain (the time slider's key)


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    label: str
    kind: str  # "relation", "co_occurs", "mentions" or a memory link ("derived_from", ...)
    ended: bool = False  # a relation no longer valid, or an archived one


@dataclass(frozen=True)
class GraphView:
    """A drawable view of one user's graph; shows itself in a notebook (`_repr_html_`)."""

    user_id: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    at: datetime | None = None
    around: str | None = None
    truncated: int = 0  # memories left out by `limit`
    positions: dict[str, tuple[float, float]] = field(default_factory=dict, compare=False)

    @property
    def title(self) -> str:
        where = f" around {self.around}" if self.around else ""
        when = f" at {self.at:%Y-%m-%d %H:%M}" if self.at else ""
        return f"Memory graph of {self.user_id}{where}{when}"

    def summary(self) -> str:
        mems = sum(n.kind == "memory" for n in self.nodes)
        ents = len(self.nodes) - mems
        more = f" ({self.truncated} older memories left out)" if self.truncated else ""
        return f"{mems} memories, {ents} entities, {len(self.edges)} edges{more}"

    def legend(self) -> list[tuple[str, str]]:
        """(name, colour) for the entity colour and each layer present, in layer order."""
        present = {n.group for n in self.nodes if n.kind == "memory"}
        return [("entity", ENTITY_COLOUR)] + [
            (layer, colour) for layer, colour in LAYER_COLOURS.items() if layer in present]

    def to_dict(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "at": self.at.isoformat() if self.at else None,
                "around": self.around, "truncated": self.truncated,
                "nodes": [n.__dict__ | {"xy": self.positions.get(n.id)} for n in self.nodes],
                "edges": [e.__dict__ for e in self.edges]}

    def to_html(self) -> str:
        """A self-contained HTML page (scripts inlined; nothing is fetched)."""
        from zenbrain.viz.html import render_page

        return render_page(self)

    def figure(self, *, size: tuple[float, float] = (11, 8)) -> Figure:
        """A matplotlib figure of the view (static; shown inline by Jupyter's inline backend)."""
        from zenbrain.viz.figure import draw

        return draw(self, size=size)

    def save(self, path: Any) -> None:
        """Write `.html` (interactive page) or an image matplotlib knows (`.png`, `.svg`)."""
        target = str(path)
        if target.lower().endswith((".html", ".htm")):
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(self.to_html())
            return
        fig = self.figure()
        try:
            fig.savefig(target, dpi=110, bbox_inches="tight")
        finally:
            import matplotlib.pyplot as plt

            plt.close(fig)

    def _repr_html_(self) -> str:
        from zenbrain.viz.html import render_inline

        return render_inline(self)


def short(text: str, width: int = 32) -> str:
    """The first words of `text` within `width` characters, with an ellipsis when cut."""
    flat = " ".join(str(text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1].rsplit(" ", 1)[0] if " " in flat[: width - 1] else flat[: width - 1]
    return cut.rstrip(",;:.") + "…"


def _parse(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _state(d: dict[str, Any], at: datetime | None) -> State | None:
    """A memory's state at `at` (None: it did not exist yet)."""
    created = _parse(d.get("created_at"))
    if at is not None and created is not None and created > at:
        return None
    archived_at = _parse(d.get("archived_at"))
    if d.get("archived") and (at is None or archived_at is None or archived_at <= at):
        return "archived"
    superseded_at = _parse(d.get("superseded_at"))
    if not d.get("is_current", True) and (at is None or superseded_at is None or superseded_at <= at):
        return "superseded"
    return "active"


def _memory_node(mid: str, d: dict[str, Any], state: State) -> Node:
    layer = str(d.get("layer", ""))
    day = str(d.get("created_at", ""))[:10] or None
    r = d.get("retrievability")
    r_text = f"{r:.2f}" if isinstance(r, float) and math.isfinite(r) else "n/a"
    lines = [str(d.get("text", "")), f"{day} · {layer} · {d.get('kind', '')}",
             f"retrievability {r_text} · confidence {d.get('confidence', 0):.2f}"]
    if state == "archived":
        lines.append(f"archived: {d.get('archive_reason') or 'no reason recorded'}")
    elif state == "superseded":
        lines.append("superseded by a newer version")
    lines.append(mid)
    return Node(id=mid, kind="memory", label=f"{short(d.get('text', ''))}\n{day} · R {r_text}",
                title="\n".join(lines), group=layer,
                colour=FADED_COLOUR if state == "archived" else LAYER_COLOURS.get(layer, "#cccccc"),
                state=state, date=day)


def _entity_node(eid: str, d: dict[str, Any]) -> Node:
    name = str(d.get("name") or eid)
    kind = str(d.get("type", "entity"))
    seen = str(d.get("first_seen", ""))[:10] or None
    title = f"{name} ({kind})\nmentioned {d.get('mention_count', 0)}× · first seen {seen}"
    return Node(id=eid, kind="entity", label=f"{name}\n({kind})", title=title, group="entity",
                colour=ENTITY_COLOUR, date=seen)


def _relation_edge(a: str, b: str, d: dict[str, Any], at: datetime | None) -> Edge | None:
    recorded = _parse(d.get("recorded_at"))
    if at is not None and recorded is not None and recorded > at:
        return None
    valid_to = _parse(d.get("valid_to"))
    ended = bool(d.get("archived")) or (valid_to is not None and (at is None or valid_to <= at))
    relation = str(d.get("relation", "related"))
    if relation == "co_occurs":  # association, not a stated fact: drawn faintly, unlabelled
        return Edge(a, b, "", "co_occurs", ended=ended)
    return Edge(a, b, relation.replace("_", " "), "relation", ended=ended)


def _find_entity(g: nx.MultiDiGraph, name: str) -> list[str]:
    want = " ".join(name.lower().split())
    hits = [n for n, d in g.nodes(data=True) if d.get("node_type") == "entity" and (
        want in (str(d.get("key", "")).lower(), str(d.get("name", "")).lower())
        or want in (str(a).lower() for a in d.get("aliases") or ()))]
    if not hits:
        known = sorted(str(d.get("name")) for _, d in g.nodes(data=True)
                       if d.get("node_type") == "entity")
        raise InvalidInputError(f"no entity named {name!r} in this graph; known: {known[:20]}")
    return hits


def build_view(
    g: nx.MultiDiGraph, *, user_id: str, at: datetime | None = None, around: str | None = None,
    depth: int = 2, layers: set[str] | None = None, archived: bool = False,
    superseded: bool = False, limit: int | None = 300, layout_seed: int = 7,
) -> GraphView:
    """Choose what to draw from `g` (the output of `Brain.graph`) and lay it out.

    `at` hides what the brain did not know yet (memories, entities and relations recorded
    later) and reads archive/supersede states as of then; `around` keeps the entity's
    neighbourhood within `depth` hops; `limit` keeps the newest memories when there are more.
    """
    import networkx as nx

    if not isinstance(depth, int) or depth < 0:
        raise InvalidInputError(f"depth must be a non-negative integer, got {depth!r}")
    show = {"archived"} if archived else set()
    show |= {"superseded"} if superseded else set()
    nodes: dict[str, Node] = {}
    for n, d in g.nodes(data=True):
        if d.get("node_type") == "memory":
            state = _state(d, at)
            if state is None or (state != "active" and state not in show):
                continue
            if layers is not None and d.get("layer") not in layers:
                continue
            nodes[n] = _memory_node(n, d, state)
        elif d.get("node_type") == "entity":
            seen = _parse(d.get("first_seen"))
            if (at is not None and seen is not None and seen > at) or (
                    d.get("archived") and not archived):
                continue
            nodes[n] = _entity_node(n, d)
    truncated = 0
    mems = sorted((n for n in nodes.values() if n.kind == "memory"),
                  key=lambda n: (n.date or "", n.id), reverse=True)
    if limit is not None and len(mems) > limit:
        truncated = len(mems) - limit
        for n in mems[limit:]:
            del nodes[n.id]
    edges: dict[tuple[str, str, str], Edge] = {}
    for a, b, d in g.edges(data=True):
        if a not in nodes or b not in nodes or a == b:
            continue
        kind = str(d.get("edge_type", ""))
        if kind == "relation":
            edge = _relation_edge(a, b, d, at)
            if edge is None or (edge.ended and not superseded):
                continue
        elif kind == "mentions":
            edge = Edge(a, b, "", "mentions")
        else:
            made = _parse(d.get("created_at"))
            if at is not None and made is not None and made > at:
                continue
            edge = Edge(a, b, _LINK_LABELS.get(kind, kind), kind)
        edges.setdefault((a, b, edge.label or kind), edge)
    # A co-occurrence beside a stated relation between the same two entities adds only clutter.
    stated = {frozenset((e.src, e.dst)) for e in edges.values() if e.kind == "relation"}
    edges = {k: e for k, e in edges.items()
             if e.kind != "co_occurs" or frozenset((e.src, e.dst)) not in stated}
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from((e.src, e.dst) for e in edges.values())
    if around is not None:
        centres = [c for c in _find_entity(g, around) if c in simple]
        keep: set[str] = set()
        for c in centres:
            keep |= set(nx.single_source_shortest_path_length(simple, c, cutoff=depth))
        simple = simple.subgraph(keep).copy()
    else:
        # An entity with nothing left to connect to (its memories filtered out) says nothing.
        simple.remove_nodes_from([n for n in list(simple) if nodes[n].kind == "entity"
                                  and simple.degree(n) == 0])
    kept_nodes = tuple(nodes[n] for n in nodes if n in simple)
    kept_edges = tuple(e for e in edges.values() if e.src in simple and e.dst in simple)
    return GraphView(user_id=user_id, nodes=kept_nodes, edges=kept_edges, at=at, around=around,
                     truncated=truncated, positions=_layout(simple, seed=layout_seed))


def _layout(simple: nx.Graph, *, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout in [-1, 1]²; fixed seed so the same brain gives the same picture."""
    import networkx as nx

    if simple.number_of_nodes() == 0:
        return {}
    k = 1.6 / math.sqrt(simple.number_of_nodes())
    pos = nx.spring_layout(simple, seed=seed, k=k, iterations=80)
    # Stretch each axis to [-1, 1] so the drawing fills a landscape frame, not a thin column.
    spans = []
    for axis in (0, 1):
        values = [float(p[axis]) for p in pos.values()]
        lo, hi = min(values), max(values)
        spans.append((lo, hi - lo if hi > lo else 1.0))
    return {str(n): tuple(2 * (float(p[i]) - spans[i][0]) / spans[i][1] - 1 for i in (0, 1))
            for n, p in pos.items()}  # type: ignore[misc]
