"""The static picture of a `GraphView` with matplotlib: labels, relation names, a layer legend.

Used for notebooks (shown inline by Jupyter's inline backend), `GraphView.save("g.png")` and
the pictures in docs/img. matplotlib is imported only here, when a figure is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zenbrain.viz.view import FADED_COLOUR, GraphView

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["draw"]


def draw(view: GraphView, *, size: tuple[float, float] = (11, 8)) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    # A bare Figure (no pyplot state): Jupyter still shows it as the cell's value, and nothing
    # is left open in pyplot's registry by a library call.
    fig = Figure(figsize=size)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(f"{view.title}\n{view.summary()}", fontsize=11)
    pos = view.positions
    ids = {n.id for n in view.nodes}
    for e in view.edges:
        if e.src not in ids or e.dst not in ids:
            continue
        (x1, y1), (x2, y2) = pos[e.src], pos[e.dst]
        if e.kind in ("mentions", "co_occurs"):
            ax.plot([x1, x2], [y1, y2], zorder=1, lw=0.7 if e.kind == "mentions" else 1.0,
                    color="#d0d0d0" if e.kind == "mentions" else "#f3c89a",
                    ls="-" if e.kind == "mentions" else ":")
            continue
        colour = "#b05f0c" if e.kind == "relation" else "#3b7d34" if e.kind == "derived_from" else "#777"
        style = "--" if e.ended or e.kind == "supersedes" else "-"
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), zorder=2,
                    arrowprops={"arrowstyle": "-|>", "color": "#aaa" if e.ended else colour,
                                "lw": 1.4, "linestyle": style, "shrinkA": 9, "shrinkB": 9})
        ax.text((x1 + x2) / 2, (y1 + y2) / 2, e.label, fontsize=7, color=colour, ha="center",
                va="center", zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                              "ec": "none", "alpha": 0.8})
    for n in view.nodes:
        x, y = pos.get(n.id, (0.0, 0.0))
        if n.kind == "entity":
            ax.scatter([x], [y], s=300, c=n.colour, edgecolors="#b05f0c", zorder=4)
            ax.text(x, y - 0.045, n.label.split("\n")[0], fontsize=9, fontweight="bold",
                    ha="center", va="top", zorder=5)
            continue
        ax.scatter([x], [y], s=130, marker="s", c=n.colour, zorder=4,
                   edgecolors="#444", linestyles="--" if n.state != "active" else "-",
                   alpha=0.6 if n.state != "active" else 1.0)
        ax.text(x, y + 0.03, n.label, fontsize=6.5, ha="center", va="bottom", zorder=5,
                color="#777" if n.state != "active" else "#222", linespacing=1.1)
    handles = [Patch(facecolor=c, label=name.replace("_", " ")) for name, c in view.legend()]
    if any(n.state == "archived" for n in view.nodes):
        handles.append(Patch(facecolor=FADED_COLOUR, edgecolor="#444", ls="--", label="archived"))
    if any(n.state == "superseded" for n in view.nodes):
        handles.append(Patch(facecolor="white", edgecolor="#444", ls="--", label="superseded"))
    handles += [Line2D([], [], color="#b05f0c", label="relation"),
                Line2D([], [], color="#3b7d34", label="gist of (sleep)"),
                Line2D([], [], color="#f3c89a", ls=":", label="mentioned together"),
                Line2D([], [], color="#d0d0d0", label="mentions")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
              frameon=False)
    ax.margins(0.08)
    fig.tight_layout()
    return fig
