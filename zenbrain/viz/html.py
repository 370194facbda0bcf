"""The interactive page of a `GraphView`: vis-network with its script inlined, nothing fetched.

The vis-network library comes from the installed `pyvis` package (a dev/notebook extra); without
it the page is a static inline SVG with the same layout, labels and tooltips. Memory text is
user data: it reaches the page only as JSON (with `</` escaped) or as escaped SVG text.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
from pathlib import Path

from zenbrain.viz.view import FADED_COLOUR, Edge, GraphView, Node

__all__ = ["render_inline", "render_page", "vis_script"]

_SCALE = 170.0  # pixels per unit of layout, times sqrt(nodes) so big graphs spread out


@functools.lru_cache(maxsize=1)
def vis_script() -> str | None:
    """The vis-network bundle shipped inside pyvis, or None when pyvis is not installed."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        libs = sorted(Path(root, "templates", "lib").glob("vis-*/vis-network.min.js"))
        if libs:
            return libs[-1].read_text(encoding="utf-8")
    return None


def _json(value: object) -> str:
    # Safe inside <script>: no "</script>" or "<!--" can come out of user text.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def _legend(view: GraphView) -> str:
    items = "".join(
        f'<span class="key"><i style="background:{c}"></i>{html.escape(name.replace("_", " "))}</span>'
        for name, c in view.legend())
    if any(n.state == "archived" for n in view.nodes):
        items += f'<span class="key"><i style="background:{FADED_COLOUR}"></i>archived</span>'
    if any(n.state == "superseded" for n in view.nodes):
        items += '<span class="key"><i class="dashed"></i>superseded</span>'
    return f'<div class="legend">{items}</div>'


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#222;background:#fff}
header{padding:8px 12px;border-bottom:1px solid #eee}
h1{font-size:16px;margin:0 0 4px}
.meta{font-size:12px;color:#666}
.legend{font-size:12px;margin-top:6px}
.key{margin-right:12px;white-space:nowrap}
.key i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:4px;vertical-align:-2px}
.key i.dashed{border:2px dashed #777;width:9px;height:9px;background:#fff}
#graph{width:100%;height:calc(100vh - 110px);min-height:420px}
.slider{font-size:12px;margin-top:6px}
.vis-tooltip{white-space:pre-wrap!important;max-width:420px;font-size:12px}
"""


def _vis_nodes(view: GraphView) -> list[dict[str, object]]:
    spread = _SCALE * max(1.0, len(view.nodes) ** 0.5)
    out = []
    for n in view.nodes:
        x, y = view.positions.get(n.id, (0.0, 0.0))
        item: dict[str, object] = {
            "id": n.id, "label": n.label, "title": n.title, "x": round(x * spread * 1.6, 1),
            "y": round(-y * spread, 1), "date": n.date, "group_name": n.group}
        if n.kind == "entity":
            item |= {"shape": "ellipse", "color": {"background": n.colour, "border": "#b05f0c"},
                     "font": {"size": 15, "color": "#1f1f1f"}}
        else:
            item |= {"shape": "box", "color": {"background": n.colour, "border": "#555"},
                     "font": {"size": 12, "color": "#111" if n.state == "archived" else "#fff"},
                     "margin": 6}
            if n.state != "active":
                item |= {"shapeProperties": {"borderDashes": [5, 4]}, "borderWidth": 2,
                         "opacity": 0.7}
        out.append(item)
    return out


def _vis_edge(e: Edge) -> dict[str, object]:
    item: dict[str, object] = {"from": e.src, "to": e.dst}
    if e.kind == "mentions":
        return item | {"color": {"color": "#c9c9c9"}, "width": 0.8}
    if e.kind == "co_occurs":
        return item | {"color": {"color": "#f3c89a"}, "width": 1, "dashes": [2, 3],
                       "title": "mentioned together"}
    item |= {"label": e.label, "arrows": "to", "font": {"size": 11, "align": "middle"}}
    if e.kind == "relation":
        item |= {"color": {"color": "#b05f0c"}, "width": 2}
    elif e.kind == "derived_from":
        item |= {"color": {"color": "#3b7d34"}, "width": 1.5}
    else:
        item |= {"color": {"color": "#777"}, "dashes": True}
    if e.ended:
        item |= {"color": {"color": "#aaa"}, "dashes": True}
    return item


_SCRIPT = """
const allNodes = new vis.DataSet(NODES);
const edges = new vis.DataSet(EDGES);
const network = new vis.Network(document.getElementById("graph"), {nodes: allNodes, edges: edges},
  {physics: false, interaction: {hover: true, tooltipDelay: 120},
   edges: {smooth: {type: "continuous"}}});
const days = DAYS;
const slider = document.getElementById("when");
if (slider) {
  slider.max = days.length - 1; slider.value = days.length - 1;
  const show = () => {
    const day = days[Number(slider.value)];
    document.getElementById("day").textContent = day;
    allNodes.update(allNodes.get().map(n => ({id: n.id, hidden: !!n.date && n.date > day})));
  };
  slider.addEventListener("input", show); show();
}
"""


def render_page(view: GraphView) -> str:
    """A whole HTML document; interactive when vis-network is available, static SVG otherwise."""
    script = vis_script()
    head = (f"<header><h1>{html.escape(view.title)}</h1>"
            f'<div class="meta">{html.escape(view.summary())} · hover a node for its text, '
            f"date, layer and retrievability</div>{_legend(view)}")
    if script is None or not view.nodes:
        return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(view.title)}"
                f"</title><style>{_CSS}</style></head><body>{head}</header>{_svg(view)}</body></html>")
    days = sorted({n.date for n in view.nodes if n.date})
    slider = ('<div class="slider">as of <input id="when" type="range" min="0" step="1"> '
              '<span id="day"></span></div>') if len(days) > 1 else ""
    body = (_SCRIPT.replace("NODES", _json(_vis_nodes(view)))
            .replace("EDGES", _json([_vis_edge(e) for e in view.edges]))
            .replace("DAYS", _json(days)))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(view.title)}"
            f"</title><style>{_CSS}</style><script>{script}</script></head><body>{head}{slider}"
            f"</header><div id='graph'></div><script>{body}</script></body></html>")


def render_inline(view: GraphView, *, height: int = 640) -> str:
    """The page inside an `<iframe srcdoc>`, so a notebook shows it without a file or a server."""
    page = html.escape(render_page(view), quote=True)
    return (f'<iframe srcdoc="{page}" style="width:100%;height:{height}px;border:1px solid #ddd" '
            f'title="{html.escape(view.title)}"></iframe>')


def _svg(view: GraphView, width: int = 1100, height: int = 760) -> str:
    """Static fallback: the same layout, labels and colours as inline SVG with <title> tooltips."""
    pad = 70

    def xy(node_id: str) -> tuple[float, float]:
        x, y = view.positions.get(node_id, (0.0, 0.0))
        return pad + (x + 1) / 2 * (width - 2 * pad), pad + (1 - y) / 2 * (height - 2 * pad)

    parts = []
    for e in view.edges:
        (x1, y1), (x2, y2) = xy(e.src), xy(e.dst)
        colour = {"mentions": "#c9c9c9", "co_occurs": "#f3c89a", "relation": "#b05f0c",
                  "derived_from": "#3b7d34"}.get(e.kind, "#777")
        dash = ' stroke-dasharray="5,4"' if e.ended or e.kind == "supersedes" else ""
        parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     f'stroke="{colour}"{dash}/>')
        if e.label:
            parts.append(f'<text x="{(x1 + x2) / 2:.0f}" y="{(y1 + y2) / 2:.0f}" font-size="10" '
                         f'fill="#555">{html.escape(e.label)}</text>')
    for n in view.nodes:
        parts.append(_svg_node(n, *xy(n.id)))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif">{"".join(parts)}</svg>')


def _svg_node(n: Node, x: float, y: float) -> str:
    first = html.escape(n.label.split("\n")[0])
    dash = ' stroke-dasharray="4,3"' if n.state != "active" else ""
    shape = (f'<circle cx="{x:.0f}" cy="{y:.0f}" r="9" fill="{n.colour}" stroke="#555"{dash}/>'
             if n.kind == "entity" else
             f'<rect x="{x - 7:.0f}" y="{y - 7:.0f}" width="14" height="14" fill="{n.colour}" '
             f'stroke="#555"{dash}/>')
    return (f"<g><title>{html.escape(n.title)}</title>{shape}<text x='{x + 11:.0f}' y='{y + 4:.0f}' "
            f"font-size='11'>{first}</text></g>")
